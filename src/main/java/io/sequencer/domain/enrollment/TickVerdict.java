package io.sequencer.domain.enrollment;

import io.sequencer.domain.timer.Tick;

/** What a tick means for the enrollment as stored now. */
public sealed interface TickVerdict {

    /** The tick is the one the enrollment waits for: act on it. */
    record Current() implements TickVerdict {}

    /**
     * The enrollment has not caught up with the tick yet: the write that made this tick is not committed (or
     * is lost). Come back later; a bounded number of times.
     */
    record Ahead(String reason) implements TickVerdict {}

    /** The tick no longer matters (done, left, re-enrolled, or superseded by another timer): drop it. */
    record Stale(String reason) implements TickVerdict {}

    /**
     * Judges {@code tick} against {@code stored}, the enrollment as read now ({@code null} if there is none).
     * Ordering of writes elsewhere makes this complete: ticks are enqueued before the enrollment write that
     * expects them, so a tick may be ahead of storage but storage is never ahead of a tick it still needs.
     */
    static TickVerdict judge(Enrollment stored, Tick tick) {
        if (stored == null) {
            return new Ahead("enrollment not stored yet");
        }
        if (tick.epoch() > stored.epoch()) {
            return new Ahead("enrollment epoch " + stored.epoch() + " behind tick epoch " + tick.epoch());
        }
        if (tick.epoch() < stored.epoch()) {
            return new Stale("epoch " + tick.epoch() + " replaced by " + stored.epoch());
        }
        if (!stored.isActive()) {
            return new Stale("enrollment is " + stored.status().wireName());
        }
        if (tick.cursor() < stored.cursor()) {
            return new Stale("step already done");
        }
        if (tick.cursor() > stored.cursor()) {
            return new Ahead("previous step not committed yet");
        }
        if (!tick.token().equals(stored.timerToken())) {
            return new Stale("superseded by another timer");
        }
        return new Current();
    }
}
