package io.sequencer.engine.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.testing.SteppingClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** One destination's send slots on their own, on a stepping clock. */
class BulkheadTest {
    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");

    @Test
    void the_oldest_send_in_flight_says_how_long_the_destination_has_been_busy_never_less_than_zero() throws Exception {
        Bulkhead bulkhead = new Bulkhead(2);
        Instant first = bulkhead.enter(clock, Duration.ZERO, Duration.ofSeconds(1)).orElseThrow();
        clock.advance(Duration.ofSeconds(2));
        bulkhead.enter(clock, Duration.ZERO, Duration.ofSeconds(1)).orElseThrow();
        assertThat(bulkhead.longestInFlight(clock.instant().plusSeconds(1))).isEqualTo(Duration.ofSeconds(3));
        assertThat(bulkhead.longestInFlight(first.minusSeconds(1))).as("a clock behind the slot's stamp")
                .isEqualTo(Duration.ZERO);
        bulkhead.leave(first, clock.instant());
        assertThat(bulkhead.longestInFlight(clock.instant())).isEqualTo(Duration.ZERO);
        assertThat(bulkhead.enter(clock, Duration.ZERO, Duration.ofSeconds(1))).as("a slot came free").isPresent();
        assertThat(bulkhead.enter(clock, Duration.ZERO, Duration.ofSeconds(1))).as("both taken").isEmpty();
    }

    @Test
    void a_send_that_finds_every_slot_taken_gives_up_when_its_patience_runs_out() throws Exception {
        Bulkhead bulkhead = new Bulkhead(1);
        bulkhead.enter(clock, Duration.ZERO, Duration.ofHours(1)).orElseThrow(); // a send that hangs
        assertThat(bulkhead.enter(clock, Duration.ofMillis(50), Duration.ofHours(1))).isEmpty();
    }
}
