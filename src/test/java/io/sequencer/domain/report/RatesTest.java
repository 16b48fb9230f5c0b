package io.sequencer.domain.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A share as every report gives it. */
class RatesTest {
    @Test
    void a_share_is_rounded_half_up_to_four_decimals() {
        assertThat(Rates.of(1, 3)).contains(0.3333);
        assertThat(Rates.of(2, 3)).contains(0.6667);
        assertThat(Rates.of(1, 20_000)).contains(0.0001);
        assertThat(Rates.of(1, 40_000)).contains(0.0);
        assertThat(Rates.of(4, 4)).contains(1.0);
    }

    @Test
    void there_is_no_share_of_nothing() {
        assertThat(Rates.of(0, 0)).isEmpty();
    }
}
