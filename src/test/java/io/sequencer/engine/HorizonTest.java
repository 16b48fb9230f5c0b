package io.sequencer.engine;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.draft;
import static io.sequencer.engine.EngineFixture.subscriber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.channel.ChannelTypes;
import io.sequencer.domain.timer.ParkedTick;
import io.sequencer.domain.timer.Tick;
import io.sequencer.domain.timer.TimerDelay;
import io.sequencer.engine.enrollment.Enrollments;
import io.sequencer.engine.send.SendResult;
import io.sequencer.engine.sequence.SequenceCatalog;
import io.sequencer.engine.tick.TickHandler;
import io.sequencer.engine.tick.TickOutcome;
import io.sequencer.engine.timer.HorizonTimers;
import io.sequencer.engine.timer.ParkingLot;
import io.sequencer.engine.timer.TimerPump;
import io.sequencer.engine.timer.TimerQueue;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
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
            .channelTypes(ChannelTypes.ALL.rules()).channel(channel).tokens(tokens).build();
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

    @Test
    void moves_that_outlast_their_lease_leave_the_rest_to_the_next_claimant_and_move_each_timer_once() {
        catalog.define(ACCOUNT, SEQUENCE, draft(3600));
        for (int i = 0; i < 40; i++) {
            enrollments.enroll(subscriber("sub-" + i));
        }
        clock.advance(Duration.ofHours(1));
        // Storage so slow that one batch of 32 moves takes longer than the claim's lease.
        TimerQueue slow = (tick, fireAt) -> {
            clock.advance(Duration.ofSeconds(3));
            triggered.schedule(tick, fireAt);
        };
        TimerPump slowPump = new TimerPump(parking, slow, HORIZON, clock, 1);

        TimerPump.Run first = slowPump.run(5_000, Duration.ofSeconds(40));
        assertThat(first.lapsed()).as("claims left when less than the margin of their lease was left").isPositive();
        assertThat(first.moved() + first.lapsed()).isEqualTo(32);
        int moved = first.moved();
        for (int run = 0; run < 5 && parking.approximateCount() > 0; run++) {
            clock.advance(TimerPump.LEASE);
            moved += slowPump.run(5_000, Duration.ofSeconds(40)).moved();
        }

        assertThat(moved).isEqualTo(40);
        assertThat(triggered.pending()).extracting(m -> m.tick().key().subscriberId()).doesNotHaveDuplicates()
                .hasSize(40);
        assertThat(parking.approximateCount()).isZero();
    }

    @Test
    void a_claim_taken_again_after_its_lease_ran_out_is_counted_as_lapsed_not_failed() {
        catalog.define(ACCOUNT, SEQUENCE, draft(3600));
        enrollments.enroll(subscriber("sub-1"));
        clock.advance(Duration.ofHours(1));
        // While this pump schedules, its lease runs out and another pump claims the timer.
        List<ParkingLot.Claim> taken = new ArrayList<>();
        TimerQueue stalled = (tick, fireAt) -> {
            clock.advance(TimerPump.LEASE);
            taken.addAll(parking.claimVisible(32, TimerPump.LEASE));
            triggered.schedule(tick, fireAt);
        };

        TimerPump.Run run = new TimerPump(parking, stalled, HORIZON, clock, 1).run(5_000, Duration.ofSeconds(40));

        assertThat(run.moved()).isEqualTo(1);
        assertThat(run.lapsed()).isEqualTo(1);
        assertThat(taken).as("the other pump holds it and removes it when it has moved it").hasSize(1);
        assertThat(parking.remove(taken.get(0))).isTrue();
    }

    @Test
    void the_pumps_lag_is_how_far_past_its_fire_time_the_most_overdue_parked_tick_is() {
        Instant now = Instant.parse("2026-03-01T09:00:00Z");
        Tick tick = new Tick(subscriber("ann"), 1, 0, "step-1", now, "t", 1, 0, 0);
        assertThat(TimerPump.lagOf(List.of(), now)).isZero();
        assertThat(TimerPump.lagOf(List.of(new ParkedTick(tick, now.plusSeconds(5))), now)).isZero();
        assertThat(TimerPump.lagOf(List.of(new ParkedTick(tick, now.minusSeconds(3)),
                new ParkedTick(tick, now.minusSeconds(40)),
                new ParkedTick(tick, now.minusSeconds(7))), now)).isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void random_timer_tokens_are_never_the_same_twice() {
        TimerTokens tokens = TimerTokens.random();
        assertThat(Stream.generate(tokens).limit(100).toList()).doesNotHaveDuplicates()
                .allSatisfy(t -> assertThat(t).isNotBlank());
    }

    @Test
    void a_horizon_may_reach_the_queues_seven_day_visibility_limit_and_no_further() {
        Sequencer.Builder builder = Sequencer.builder().clock(clock).timers(triggered);
        assertThat(builder.parking(parking, TimerDelay.MAX_VISIBILITY).build().timers())
                .isInstanceOf(HorizonTimers.class);
        assertThatThrownBy(() -> builder
                        .parking(parking, TimerDelay.MAX_VISIBILITY.plusSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A parking lot that only answers claims, as {@code claims} says; nothing is parked in it. */
    private static ParkingLot claimingOnly(Function<Integer, List<ParkingLot.Claim>> claims) {
        return new ParkingLot() {
            public void park(ParkedTick parked, Duration visibility) {
                throw new UnsupportedOperationException("nothing is parked here");
            }

            public List<ParkingLot.Claim> claimVisible(int max, Duration lease) {
                return claims.apply(max);
            }

            public List<ParkedTick> peekVisible(int max) {
                return List.of();
            }

            public boolean remove(ParkingLot.Claim claim) {
                return true;
            }

            public long approximateCount() {
                return 0;
            }
        };
    }

    @Test
    void a_parallel_pump_run_fails_with_the_storage_error_itself_not_a_wrapper() {
        IllegalStateException unavailable = new IllegalStateException("parking lot unavailable");
        TimerPump parallel = new TimerPump(claimingOnly(max -> {
            throw unavailable;
        }), triggered, HORIZON, clock, 2);
        assertThatThrownBy(() -> parallel.run(10, Duration.ofSeconds(5))).isSameAs(unavailable);
    }

    @Test
    void a_parallel_pump_run_that_is_interrupted_stops_and_keeps_the_interrupt_for_its_caller() throws Exception {
        CountDownLatch claiming = new CountDownLatch(1);
        TimerPump stalled = new TimerPump(claimingOnly(max -> {
            claiming.countDown();
            try {
                new CountDownLatch(1).await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        }), triggered, HORIZON, clock, 2);
        CompletableFuture<Boolean> interruptedAfter = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                stalled.run(10, Duration.ofSeconds(40));
                interruptedAfter.completeExceptionally(new AssertionError("the run ended without being interrupted"));
            } catch (IllegalStateException stopped) {
                interruptedAfter.complete(Thread.currentThread().isInterrupted());
            }
        });
        caller.start();
        assertThat(claiming.await(10, TimeUnit.SECONDS)).as("a worker claiming").isTrue();

        caller.interrupt();

        assertThat(interruptedAfter.get(10, TimeUnit.SECONDS)).as("the caller's interrupt flag").isTrue();
    }
}
