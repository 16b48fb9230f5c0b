package io.sequencer.engine.poison;

import io.sequencer.domain.timer.PoisonedTick;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.Stored;
import io.sequencer.engine.sequence.SequenceStore;
import io.sequencer.engine.timer.TimerQueue;
import java.time.Clock;
import java.util.Optional;

/**
 * Puts a sequence's poisoned ticks back on the timer queue, due now, once their cause is fixed.
 *
 * <p>A replayed tick goes through every check a tick does (epoch, cursor, timer token, pause, archive,
 * window), so one that went stale meanwhile (the subscriber left, or another copy moved the enrollment on) is
 * dropped, and nothing is sent twice under two delivery ids. Each tick is enqueued before its entry is
 * removed: a crash in between leaves the entry, and replaying again enqueues a second copy, which the first
 * one's advance makes stale. At least once, then, and harmless beyond.
 */
public final class PoisonReplay {
    /** Entries replayed per call at most, so that one request stays short; the answer says when more are left. */
    static final int MAX_PER_CALL = 1_000;

    private final SequenceStore sequences;
    private final PoisonedTicks poisoned;
    private final TimerQueue timers;
    private final Clock clock;

    public PoisonReplay(SequenceStore sequences, PoisonedTicks poisoned, TimerQueue timers, Clock clock) {
        this.sequences = sequences;
        this.poisoned = poisoned;
        this.timers = timers;
        this.clock = clock;
    }

    /** How many ticks were put back, and whether the sequence has poisoned ticks this call did not reach. */
    public record Replayed(int replayed, boolean more) {}

    /** @throws NotFound when the account has no such sequence */
    public Replayed replay(String account, String sequenceId) {
        sequences.find(account, sequenceId).orElseThrow(() -> new NotFound("sequence " + sequenceId));
        PoisonedTicks.Page page = poisoned.list(account, sequenceId, Optional.empty(), MAX_PER_CALL);
        for (Stored<PoisonedTick> entry : page.entries()) {
            Tick tick = entry.value().tick();
            timers.schedule(tick, clock.instant());
            poisoned.remove(entry);
        }
        return new Replayed(page.entries().size(), page.next().isPresent());
    }
}
