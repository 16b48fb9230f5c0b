package io.sequencer.domain.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The two-proportion test against textbook figures: OpenIntro Statistics (4th ed., section 6.2), its mammogram
 * study for the pooled test and its CPR study for the confidence interval.
 */
class TwoProportionsTest {

    @Test
    void the_mammogram_study_gives_z_minus_0_17_and_p_0_87() {
        // 500 of 44,925 deaths with mammograms, 505 of 44,910 in the control group: no significant difference.
        TwoProportions.Compared c = (TwoProportions.Compared) TwoProportions.compare(500, 44_925, 505, 44_910);
        assertThat(c.z()).isCloseTo(-0.17, within(0.01));
        assertThat(c.pValue()).isCloseTo(0.87, within(0.01));
        assertThat(c.significant()).isFalse();
    }

    @Test
    void the_cpr_study_gives_a_difference_of_0_13_with_standard_error_0_095() {
        // 14 of 40 survived with blood thinners, 11 of 50 without: 0.35 - 0.22 = 0.13, SE 0.095.
        TwoProportions.Compared c = (TwoProportions.Compared) TwoProportions.compare(14, 40, 11, 50);
        assertThat(c.difference()).isCloseTo(0.13, within(0.0001));
        double standardError = (c.upper() - c.difference()) / TwoProportions.Z_95;
        assertThat(standardError).isCloseTo(0.095, within(0.001));
        assertThat(c.lower()).isCloseTo(0.13 - 1.96 * 0.0955, within(0.001));
        assertThat(c.upper()).isCloseTo(0.13 + 1.96 * 0.0955, within(0.001));
        assertThat(c.relativeLift()).hasValueSatisfying(l -> assertThat(l).isCloseTo(0.13 / 0.22, within(0.0001)));
    }

    @Test
    void a_clear_difference_is_significant() {
        TwoProportions.Compared c = (TwoProportions.Compared) TwoProportions.compare(120, 1000, 60, 1000);
        assertThat(c.z()).isGreaterThan(4);
        assertThat(c.pValue()).isLessThan(0.001);
        assertThat(c.significant()).isTrue();
        assertThat(c.lower()).isGreaterThan(0);
    }

    @Test
    void the_normal_tail_matches_its_tables() {
        assertThat(TwoProportions.upperTail(1.959963984540054)).isCloseTo(0.025, within(1e-6));
        assertThat(TwoProportions.upperTail(0)).isCloseTo(0.5, within(1e-7));
        assertThat(TwoProportions.upperTail(-1)).isCloseTo(0.841345, within(1e-6));
        assertThat(TwoProportions.upperTail(3)).isCloseTo(0.0013499, within(1e-6));
    }

    @Test
    void fewer_than_30_in_a_group_is_not_enough_data() {
        assertThat(TwoProportions.compare(10, 29, 10, 100)).isInstanceOf(TwoProportions.NotEnoughData.class);
        assertThat(TwoProportions.compare(10, 100, 10, 29)).isInstanceOf(TwoProportions.NotEnoughData.class);
    }

    @Test
    void fewer_than_5_conversions_or_non_conversions_in_a_group_is_not_enough_data() {
        assertThat(TwoProportions.compare(4, 1000, 50, 1000)).isInstanceOf(TwoProportions.NotEnoughData.class);
        assertThat(TwoProportions.compare(50, 1000, 996, 1000)).isInstanceOf(TwoProportions.NotEnoughData.class);
        assertThat(TwoProportions.compare(5, 30, 5, 30)).isInstanceOf(TwoProportions.Compared.class);
    }
}
