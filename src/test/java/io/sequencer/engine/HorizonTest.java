package io.sequencer.engine;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.draft;
import static io.sequencer.engine.EngineFixture.subscriber;
import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.timer.RetryBackoff;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.enrollment.Enrollments;
import io.sequencer.engine.send.SendResult;
import io.sequencer.engine.sequence.SequenceCatalog;
import io.sequencer.engine.tick.TickHandler;
import io.sequencer.engine.tick.TickOutcome;
import io.sequencer.engine.timer.TimerPump;
import io.sequencer.engine.timer.TimerTokens;
import io.sequencer.testing.InMemoryEnrollmentStore;
import io.sequencer.testing.InMemoryParkingLot;
import io.sequencer.testing.InMemorySequenceStore;
import io.sequencer.testing.InMemorySubscriberStore;
import io.sequencer.testing.InMemoryTimerQueue;
import io.sequencer.testing.RecordingChannel;
import io.sequencer.testing.SteppingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The horizon: timers due within it go to the triggered queue, later ones are parked and pumped across shortly
 * before they are due. Run on a stepping clock, with the pump on its 15-second schedule.
 */
class HorizonTest {
    private static final Duration HORIZON = Duration.ofMinutes(15);
    private static final Duration PUMP_EVERY = Duration.ofSeconds(15);

    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final InMemorySequenceStore sequenceStore = new InMemorySequenceStore();
    private final InMemoryEnrollmentStore enrollmentStore = new InMemoryEnrollmentStore();
    private final InMemoryTimerQueue triggered = new InMemoryTimerQueue(clock);
    private final InMemoryParkingLot parking = new InMemoryParkingLot(clock);
    private final RecordingChannel channel = new RecordingChannel();
    private final AtomicLong tokenCounter = new AtomicLong();
    private final TimerTokens tokens = () -> "token-" + tokenCounter.incrementAndGet();
    private final InMemorySubscriberStore subscribers = new InMemorySubscriberStore();
    /** Timers through the horizon: the triggered queue within it, the parking lot beyond. */
    private final Sequencer engine = Sequencer.builder().clock(clock)
            .stores(sequenceStore, enrollmentStore, subscribers)
            .timers(triggered).parking(parking, HORIZON)
            .channel(channel).tokens(tokens).build();
    private final SequenceCatalog catalog = engine.sequences();
    private final Enrollments enrollments = engine.enrollments();
    private final TickHandler ticks = engine.ticks();
    private final TimerPump pump = new TimerPump(parking, triggered, HORIZON, clock, 1);
    private final List<TickOutcome> outcomes = new ArrayList<>();
    private final List<TimerPump.Run> pumpRuns = new ArrayList<>();
    private long maxTriggeredDepth;
    private Instant nextPump = clock.instant();
    private boolean pumpRunning = true;

    /** Steps the clock from event to event (a visible tick or a pump run) until {@code limit} has passed. */
    private void runFor(Duration limit) {
        Instant end = clock.instant().plus(limit);
        while (true) {
            Optional<Tick> tick;
            while ((tick = triggered.takeNextVisible()).isPresent()) {
                outcomes.add(ticks.handle(tick.get()));
            }
            maxTriggeredDepth = Math.max(maxTriggeredDepth, triggered.pending().size());
            Instant next = triggered.nextVisibleAt().orElse(Instant.MAX);
            if (pumpRunning && (parking.approximateCount() > 0 || next != Instant.MAX)) {
                next = next.isBefore(nextPump) ? next : nextPump;
            }
            if (next.isAfter(end)) {
                clock.set(end);
                return;
            }
            if (next.isAfter(clock.instant())) {
                clock.set(next);
            }
            if (pumpRunning && !clock.instant().isBefore(nextPump)) {
                pumpRuns.add(pump.run(5_000, Duration.ofSeconds(40)));
                nextPump = clock.instant().plus(PUMP_EVERY);
            }
        }
    }

    private Instant sentAt(String subscriber, int step) {
        return enrollments.get(subscriber(subscriber)).history().get(step).at();
    }

    @Test
    void a_step_due_within_the_horizon_goes_straight_to_the_triggered_queue() {
        catalog.define(ACCOUNT, SEQUENCE, draft(600));
        enrollments.enroll(subscriber("ann"));
        assertThat(triggered.pending()).hasSize(1);
        assertThat(parking.approximateCount()).isZero();
    }

    @Test
    void a_step_ten_days_away_is_parked_pumped_in_time_and_sent_on_time_never_early() {
        catalog.define(ACCOUNT, SEQUENCE, draft(10L * 86400));
        Instant due = clock.instant().plus(Duration.ofDays(10));
        enrollments.enroll(subscriber("ann"));
        assertThat(triggered.pending()).isEmpty();
        assertThat(parking.approximateCount()).isEqualTo(1);

        runFor(Duration.ofDays(10).minus(HORIZON).minusSeconds(1));
        assertThat(triggered.pending()).as("still parked until the horizon").isEmpty();
        assertThat(channel.deliveries()).isEmpty();

        runFor(Duration.ofDays(1));
        assertThat(channel.deliveries()).hasSize(1);
        assertThat(sentAt("ann", 0)).isEqualTo(due);
        assertThat(pumpRuns.stream().mapToInt(TimerPump.Run::reparked).sum()).as("hops over the 7-day cap").isEqualTo(1);
        assertThat(outcomes).noneMatch(o -> o instanceof TickOutcome.Hop);
    }

    @Test
    void leaving_while_parked_sends_nothing() {
        catalog.define(ACCOUNT, SEQUENCE, draft(3L * 86400));
        enrollments.enroll(subscriber("ann"));
        enrollments.leave(subscriber("ann"));
        runFor(Duration.ofDays(4));
        assertThat(channel.deliveries()).isEmpty();
        assertThat(outcomes).singleElement().isInstanceOf(TickOutcome.Dropped.class);
        assertThat(parking.approximateCount()).isZero();
    }

    @Test
    void the_triggered_queue_holds_only_what_is_due_soon() {
        catalog.define(ACCOUNT, SEQUENCE, draft(2L * 86400));
        for (int i = 0; i < 200; i++) {
            enrollments.enroll(subscriber("later-" + i));
        }
        catalog.define(ACCOUNT, "soon", draft(30));
        for (int i = 0; i < 20; i++) {
            enrollments.enroll(new io.sequencer.domain.enrollment.EnrollmentKey(ACCOUNT, "soon", "soon-" + i));
        }
        assertThat(triggered.pending()).hasSize(20);
        assertThat(parking.approximateCount()).isEqualTo(200);
        runFor(Duration.ofHours(1));
        assertThat(channel.deliveries()).hasSize(20);
        assertThat(maxTriggeredDepth).isEqualTo(20);
    }

    @Test
    void a_pump_that_was_off_for_an_hour_catches_up_and_every_overdue_step_goes_out() {
        catalog.define(ACCOUNT, SEQUENCE, draft(3600));
        for (int i = 0; i < 50; i++) {
            enrollments.enroll(subscriber("sub-" + i));
        }
        Instant due = clock.instant().plusSeconds(3600);
        pumpRunning = false;
        runFor(Duration.ofHours(2));
        assertThat(channel.deliveries()).isEmpty();
        pumpRunning = true;
        nextPump = clock.instant();
        runFor(Duration.ofMinutes(1));
        assertThat(channel.deliveries()).hasSize(50);
        assertThat(pumpRuns.get(0).lag()).isEqualTo(Duration.ofHours(1));
        assertThat(sentAt("sub-0", 0)).isAfter(due);
    }

    @Test
    void a_retry_backed_off_beyond_the_horizon_is_parked_and_fires_at_its_retry_time_not_its_due_time() {
        catalog.define(ACCOUNT, SEQUENCE, draft(0));
        channel.thenAnswer(new SendResult.TransientFailure("HTTP 503", Duration.ofHours(2)));
        Instant start = clock.instant();
        enrollments.enroll(subscriber("ann"));
        runFor(Duration.ofMinutes(1));
        assertThat(parking.approximateCount()).isEqualTo(1);
        runFor(Duration.ofHours(3));
        assertThat(channel.deliveries()).hasSize(2);
        assertThat(sentAt("ann", 0)).isEqualTo(start.plus(Duration.ofHours(2)));
    }

    @Test
    void a_pump_run_is_bounded_and_the_next_one_goes_on() {
        catalog.define(ACCOUNT, SEQUENCE, draft(3600));
        for (int i = 0; i < 40; i++) {
            enrollments.enroll(subscriber("sub-" + i));
        }
        clock.advance(Duration.ofHours(1));
        TimerPump.Run first = pump.run(25, Duration.ofSeconds(40));
        assertThat(first.moved()).isEqualTo(25);
        assertThat(first.more()).isTrue();
        TimerPump.Run second = pump.run(25, Duration.ofSeconds(40));
        assertThat(second.moved()).isEqualTo(15);
        assertThat(second.more()).isFalse();
    }

    @Test
    void parallel_pump_workers_move_each_timer_exactly_once() {
        catalog.define(ACCOUNT, SEQUENCE, draft(3600));
        for (int i = 0; i < 300; i++) {
            enrollments.enroll(subscriber("sub-" + i));
        }
        clock.advance(Duration.ofHours(1));
        TimerPump parallel = new TimerPump(parking, triggered, HORIZON, clock, 8);
        TimerPump.Run run = parallel.run(5_000, Duration.ofSeconds(40));
        assertThat(run.moved()).isEqualTo(300);
        assertThat(run.more()).isFalse();
        assertThat(triggered.pending()).hasSize(300);
        assertThat(triggered.pending()).extracting(m -> m.tick().key().subscriberId()).doesNotHaveDuplicates();
        assertThat(parking.approximateCount()).isZero();
    }
}
