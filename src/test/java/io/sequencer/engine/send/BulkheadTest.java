package io.sequencer.engine.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.testing.SteppingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One destination's send slots on their own, on a stepping clock. How long a send waits for a slot is stepped too
 * ({@link SteppedSlotWaits}): what other sends do meanwhile happens at planned moments, and a wait's end is a moment
 * on the clock.
 */
class BulkheadTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration SECOND = Duration.ofSeconds(1);

    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final Instant start = clock.instant();
    private final SteppedSlotWaits waits = new SteppedSlotWaits(clock);

    /** What a send got from the bulkhead, and when. */
    private record Answer(Optional<Instant> slot, Instant at) {}

    /** A send that arrives while another waits for a slot; its answer is in {@code answer} once it has one. */
    private Runnable sendArriving(Bulkhead bulkhead, Duration patience, Duration slowAfter,
                                  AtomicReference<Answer> answer) {
        return () -> {
            try {
                answer.set(new Answer(bulkhead.enter(clock, patience, slowAfter), clock.instant()));
            } catch (InterruptedException e) {
                throw new IllegalStateException("stepped waits are never interrupted", e);
            }
        };
    }

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

    @Test
    void before_any_send_there_has_ended_a_send_waits_only_until_the_sends_in_flight_are_150_ms_old() throws Exception {
        Bulkhead bulkhead = new Bulkhead(1, waits);
        bulkhead.enter(clock, Duration.ZERO, HOUR).orElseThrow();
        clock.advance(Duration.ofMillis(20));
        assertThat(bulkhead.enter(clock, SECOND, SECOND)).isEmpty();
        assertThat(clock.instant()).as("gave up once the send in flight was UNPROVEN_WAIT old, for all its patience")
                .isEqualTo(start.plus(Bulkhead.UNPROVEN_WAIT));
        clock.advance(Duration.ofMillis(100));
        Instant tried = clock.instant();
        Bulkhead quick = new Bulkhead(1, waits);
        quick.enter(clock, Duration.ZERO, HOUR).orElseThrow();
        assertThat(quick.enter(clock, SECOND, Duration.ofMillis(100))).isEmpty();
        assertThat(clock.instant()).as("a send counted slow sooner than that ends the wait sooner")
                .isEqualTo(tried.plusMillis(100));
    }

    @Test
    void once_a_send_there_has_ended_even_at_once_a_send_waits_until_the_sends_in_flight_are_slow() throws Exception {
        Bulkhead bulkhead = new Bulkhead(1, waits);
        Instant answeredAtOnce = bulkhead.enter(clock, Duration.ZERO, HOUR).orElseThrow();
        bulkhead.leave(answeredAtOnce, answeredAtOnce);
        bulkhead.enter(clock, Duration.ZERO, HOUR).orElseThrow();
        clock.advance(Duration.ofMillis(20));
        assertThat(bulkhead.enter(clock, SECOND, Duration.ofMillis(500))).isEmpty();
        assertThat(clock.instant()).as("gave up when the send in flight had taken slowAfter")
                .isEqualTo(start.plusMillis(500));
    }

    @Test
    void a_waiting_send_takes_a_slot_the_moment_a_send_ends_before_a_send_that_comes_later() throws Exception {
        Bulkhead bulkhead = new Bulkhead(1, waits);
        Instant first = bulkhead.enter(clock, Duration.ZERO, HOUR).orElseThrow();
        AtomicReference<Answer> later = new AtomicReference<>();
        waits.at(Duration.ofMillis(40), () -> bulkhead.leave(first, clock.instant()))
                .at(Duration.ofMillis(60), sendArriving(bulkhead, Duration.ZERO, HOUR, later));
        Optional<Instant> waiting = bulkhead.enter(clock, SECOND, HOUR);
        waits.playTheRest();
        assertThat(waiting).as("the waiting send's slot").contains(start.plusMillis(40));
        assertThat(later.get().slot()).as("the send that came later").isEmpty();
    }

    @Test
    void before_any_send_there_has_ended_a_send_finding_as_many_waiting_as_there_are_slots_still_waits_150_ms()
            throws Exception {
        Bulkhead bulkhead = new Bulkhead(1, waits);
        bulkhead.enter(clock, Duration.ZERO, HOUR).orElseThrow();
        AtomicReference<Answer> second = new AtomicReference<>();
        waits.at(Duration.ofMillis(10), sendArriving(bulkhead, SECOND, HOUR, second));
        assertThat(bulkhead.enter(clock, SECOND, HOUR)).as("the first in line").isEmpty();
        assertThat(second.get()).as("the second in line joined it and gave up with it")
                .isEqualTo(new Answer(Optional.empty(), start.plus(Bulkhead.UNPROVEN_WAIT)));
    }

    @Test
    void a_send_is_turned_away_at_once_when_the_line_ahead_of_it_would_take_longer_than_the_short_wait_to_clear()
            throws Exception {
        Bulkhead bulkhead = new Bulkhead(1, waits);
        Instant earlier = bulkhead.enter(clock, Duration.ZERO, HOUR).orElseThrow();
        clock.advance(Duration.ofMillis(200));
        bulkhead.leave(earlier, clock.instant()); // the destination answers in 200 ms
        bulkhead.enter(clock, Duration.ZERO, HOUR).orElseThrow();
        AtomicReference<Answer> second = new AtomicReference<>();
        waits.at(Duration.ofMillis(210), sendArriving(bulkhead, SECOND, HOUR, second));
        bulkhead.enter(clock, SECOND, HOUR); // one waits: two sends to go, 400 ms, before a second one's turn
        assertThat(second.get()).as("turned away as it arrived: 400 ms is beyond SHORT_WAIT")
                .isEqualTo(new Answer(Optional.empty(), start.plusMillis(210)));
    }

    /**
     * A bulkhead of one slot whose earlier sends took {@code took}, each in turn; then one send holds the slot, one
     * waits for it, and a third arrives 10 ms later: whether that third joins the line (true) or is turned away as
     * it arrives.
     */
    private boolean aThirdJoinsTheLine(Duration... took) throws InterruptedException {
        Bulkhead bulkhead = new Bulkhead(1, waits);
        for (Duration send : took) {
            Instant started = bulkhead.enter(clock, Duration.ZERO, HOUR).orElseThrow();
            clock.advance(send);
            bulkhead.leave(started, clock.instant());
        }
        bulkhead.enter(clock, Duration.ZERO, HOUR).orElseThrow();
        Instant arrives = clock.instant().plusMillis(10);
        AtomicReference<Answer> third = new AtomicReference<>();
        waits.at(Duration.between(start, arrives), sendArriving(bulkhead, SECOND, HOUR, third));
        bulkhead.enter(clock, SECOND, HOUR);
        return third.get().at().isAfter(arrives);
    }

    @Test
    void how_fast_the_line_clears_is_judged_by_a_moving_average_of_the_destinations_sends() throws Exception {
        assertThat(aThirdJoinsTheLine(Duration.ofMillis(150)))
                .as("two sends of 150 ms to go: exactly SHORT_WAIT").isTrue();
        assertThat(aThirdJoinsTheLine(Duration.ofMillis(100), Duration.ofMillis(600)))
                .as("100 ms then 600 ms: (4 x 100 + 600) / 5 = 200 ms a send, 400 ms to go").isFalse();
        assertThat(aThirdJoinsTheLine(Duration.ofMillis(50), Duration.ofMillis(100)))
                .as("50 ms then 100 ms: 60 ms a send, 120 ms to go").isTrue();
        assertThat(aThirdJoinsTheLine(Duration.ZERO, Duration.ofMillis(500)))
                .as("at once then 500 ms: 100 ms a send, 200 ms to go").isTrue();
    }
}
