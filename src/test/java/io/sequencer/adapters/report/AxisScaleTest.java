package io.sequencer.adapters.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AxisScaleTest {
    @Test
    void an_axis_ends_on_a_round_tick_at_or_above_the_highest_value() {
        assertThat(AxisScale.covering(5).ticks()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(AxisScale.covering(7).ticks()).containsExactly(0L, 2L, 4L, 6L, 8L);
        assertThat(AxisScale.covering(1_234).ticks()).containsExactly(0L, 500L, 1_000L, 1_500L);
        assertThat(AxisScale.covering(6_000).ticks()).containsExactly(0L, 2_000L, 4_000L, 6_000L);
        assertThat(AxisScale.covering(1_000_000)).isEqualTo(new AxisScale(1_000_000, 200_000));
    }

    @Test
    void an_all_zero_chart_still_gets_an_axis_from_0_to_1() {
        AxisScale scale = AxisScale.covering(0);

        assertThat(scale.ticks()).containsExactly(0L, 1L);
        assertThat(scale.fraction(0)).isZero();
    }

    @Test
    void a_value_falls_where_it_is_on_the_axis() {
        assertThat(AxisScale.covering(7).fraction(4)).isEqualTo(0.5);
    }
}
