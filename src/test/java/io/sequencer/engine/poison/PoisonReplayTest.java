package io.sequencer.engine.poison;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.draft;
import static io.sequencer.engine.EngineFixture.subscriber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.report.PoisonSummary;
import io.sequencer.domain.timer.PoisonedTick;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.EngineFixture;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.Stored;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.tick.TickOutcome;
import io.sequencer.testing.InMemoryPoisonedTicks;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Replaying a sequence's poisoned ticks: each goes back on the timer queue, due now, and its entry goes. */
class PoisonReplayTest {
    private final EngineFixture engine = new EngineFixture();
    private final InMemoryPoisonedTicks poisoned = new InMemoryPoisonedTicks();
    private final PoisonReplay replay = new PoisonReplay(engine.sequenceStore, poisoned, engine.queue, engine.clock);

    /** Enrolls {@code subscriber} and poisons their first tick: taken off the queue as the host does, and recorded. */
    private Tick poisonFirstTick(String subscriber) {
        engine.enrollments.enroll(subscriber(subscriber));
        Tick tick = engine.queue.takeNextVisible().orElseThrow();
        poisoned.record(tick, "IllegalStateException: storage unavailable", engine.clock.instant());
        return tick;
    }

    private long delivered(String subscriber, String step) {
        return engine.channel.deliveries().stream()
                .filter(d -> d.key().subscriberId().equals(subscriber) && d.stepId().equals(step)).count();
    }

    @Test
    void a_replayed_tick_is_enqueued_due_now_its_entry_removed_and_the_sequence_goes_on() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 60));
        Tick tick = poisonFirstTick("ann");
        engine.clock.advance(Duration.ofHours(2)); // the cause is found and fixed
        Instant now = engine.clock.instant();

        assertThat(replay.replay(ACCOUNT, SEQUENCE)).isEqualTo(new PoisonReplay.Replayed(1, false));

        assertThat(engine.queue.pending()).extracting(m -> m.tick(), m -> m.visibleAt()).containsExactly(
                org.assertj.core.groups.Tuple.tuple(tick, now));
        assertThat(poisoned.summary(ACCOUNT, SEQUENCE)).isEqualTo(PoisonSummary.NONE);
        engine.runFor(Duration.ofDays(1));
        assertThat(delivered("ann", "step-1")).isEqualTo(1);
        assertThat(delivered("ann", "step-2")).isEqualTo(1);
        assertThat(engine.enrollments.get(subscriber("ann")).status()).isEqualTo(EnrollmentStatus.COMPLETED);
    }

    @Test
    void replaying_a_tick_that_went_stale_meanwhile_sends_nothing() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 60));
        poisonFirstTick("bob");
        engine.enrollments.leave(subscriber("bob"));

        assertThat(replay.replay(ACCOUNT, SEQUENCE).replayed()).isEqualTo(1);
        engine.handleVisible();

        assertThat(engine.outcomes).singleElement().isInstanceOf(TickOutcome.Dropped.class);
        assertThat(engine.channel.deliveries()).isEmpty();
        assertThat(poisoned.summary(ACCOUNT, SEQUENCE)).isEqualTo(PoisonSummary.NONE);
    }

    @Test
    void a_crash_between_enqueue_and_remove_enqueues_once_more_at_most_and_the_step_is_delivered_once() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 60));
        poisonFirstTick("cy");
        RemoveDiesOnce dying = new RemoveDiesOnce(poisoned);
        PoisonReplay crashing = new PoisonReplay(engine.sequenceStore, dying, engine.queue, engine.clock);

        assertThatThrownBy(() -> crashing.replay(ACCOUNT, SEQUENCE)).isInstanceOf(ProcessDied.class);
        assertThat(engine.queue.pending()).hasSize(1);
        assertThat(poisoned.summary(ACCOUNT, SEQUENCE).count()).isEqualTo(1);

        assertThat(crashing.replay(ACCOUNT, SEQUENCE).replayed()).isEqualTo(1); // the operator tries again
        assertThat(engine.queue.pending()).hasSize(2);
        assertThat(poisoned.summary(ACCOUNT, SEQUENCE)).isEqualTo(PoisonSummary.NONE);
        assertThat(replay.replay(ACCOUNT, SEQUENCE).replayed()).isZero();

        engine.runFor(Duration.ofDays(1));
        assertThat(delivered("cy", "step-1")).isEqualTo(1);
        assertThat(delivered("cy", "step-2")).isEqualTo(1);
        assertThat(engine.channel.deliveries()).extracting(Delivery::deliveryId).doesNotHaveDuplicates();
    }

    @Test
    void only_the_named_sequences_ticks_are_replayed() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0));
        engine.catalog.define(ACCOUNT, "other", draft(0));
        poisonFirstTick("dan");
        engine.enrollments.enroll(new io.sequencer.domain.enrollment.EnrollmentKey(ACCOUNT, "other", "eve"));
        poisoned.record(engine.queue.takeNextVisible().orElseThrow(), "boom", engine.clock.instant());

        assertThat(replay.replay(ACCOUNT, SEQUENCE).replayed()).isEqualTo(1);

        assertThat(engine.queue.pending()).extracting(m -> m.tick().key().subscriberId()).containsExactly("dan");
        assertThat(poisoned.summary(ACCOUNT, "other").count()).isEqualTo(1);
    }

    @Test
    void an_unknown_sequence_is_not_found_even_with_entries_under_its_name() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0));
        poisonFirstTick("fay");
        assertThatThrownBy(() -> replay.replay("another-account", SEQUENCE)).isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> replay.replay(ACCOUNT, "missing")).isInstanceOf(NotFound.class);
        assertThat(engine.queue.pending()).isEmpty();
    }

    @Test
    void one_call_replays_at_most_a_thousand_and_says_more_are_left() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0));
        for (int i = 0; i <= PoisonReplay.MAX_PER_CALL; i++) {
            Tick tick = new Tick(subscriber("s" + i), 1, 0, "step-1", engine.clock.instant(), "token-s" + i, 1, 0, 0);
            poisoned.record(tick, "boom", engine.clock.instant());
        }

        assertThat(replay.replay(ACCOUNT, SEQUENCE)).isEqualTo(new PoisonReplay.Replayed(PoisonReplay.MAX_PER_CALL, true));
        assertThat(replay.replay(ACCOUNT, SEQUENCE)).isEqualTo(new PoisonReplay.Replayed(1, false));
        assertThat(engine.queue.pending()).hasSize(PoisonReplay.MAX_PER_CALL + 1);
    }

    static final class ProcessDied extends RuntimeException {}

    /** The process dies just before the first removal takes effect. */
    private static final class RemoveDiesOnce implements PoisonedTicks {
        private final PoisonedTicks store;
        private boolean died;

        RemoveDiesOnce(PoisonedTicks store) {
            this.store = store;
        }

        @Override
        public PoisonSummary summary(String account, String sequenceId) {
            return store.summary(account, sequenceId);
        }

        @Override
        public void record(Tick tick, String error, Instant at) {
            store.record(tick, error, at);
        }

        @Override
        public void recordIfAbsent(Tick tick, String reason, Instant at) {
            store.recordIfAbsent(tick, reason, at);
        }

        @Override
        public Page list(String account, String sequenceId, Optional<String> after, int max) {
            return store.list(account, sequenceId, after, max);
        }

        @Override
        public void remove(Stored<PoisonedTick> entry) {
            if (!died) {
                died = true;
                throw new ProcessDied();
            }
            store.remove(entry);
        }
    }
}
