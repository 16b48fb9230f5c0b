package io.sequencer.engine.poison;

import io.sequencer.domain.report.PoisonSummary;
import io.sequencer.domain.timer.PoisonedTick;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.Stored;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: ticks that failed every attempt and left the tick queue, kept per sequence so reports show them and
 * they can be replayed. One entry per timer ({@link PoisonedTick.Identity}): recording the same timer again
 * updates its entry, never adds one.
 */
public interface PoisonedTicks {
    /** How many ticks of the sequence are poisoned now, with the latest error; {@link PoisonSummary#NONE} if none. */
    PoisonSummary summary(String account, String sequenceId);

    /**
     * Records that {@code tick} was poisoned by {@code error} at {@code at}: creates its entry, or updates it as
     * {@link PoisonedTick#poisonedAgain} says (newest error kept, one more time counted).
     *
     * @param error one short line without secrets
     * @throws Conflict when the entry kept changing under concurrent writers
     */
    void record(Tick tick, String error, Instant at);

    /**
     * Records {@code tick} with {@code reason} only when its timer has no entry yet; an entry already recorded,
     * with the error that caused it, stays as it is.
     */
    void recordIfAbsent(Tick tick, String reason, Instant at);

    /**
     * Up to {@code max} entries of the sequence in a stable order, starting after the entry {@code after} names
     * (a {@link Page#next()} of an earlier page; empty for the first page).
     */
    Page list(String account, String sequenceId, Optional<String> after, int max);

    /** Removes the entry as it was listed; one changed since (poisoned again) or already removed stays as it is. */
    void remove(Stored<PoisonedTick> entry);

    /** One page of entries; {@code next} is present when more follow, and continues the listing after this page. */
    record Page(List<Stored<PoisonedTick>> entries, Optional<String> next) {
        public Page {
            entries = List.copyOf(entries);
        }
    }
}
