package io.sequencer.domain.timer;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a timer message stays invisible. Storage queues cap the visibility delay at 7 days and count it
 * in whole seconds; a step due later is reached in hops (the tick wakes early, sees it is not due and
 * re-enqueues itself for the rest), and rounding is always up, so a timer never fires early.
 */
public final class TimerDelay {
    public static final Duration MAX_VISIBILITY = Duration.ofDays(7);

    private TimerDelay() {}

    /** The visibility delay for a timer due at {@code dueAt}, enqueued at {@code now}: at most 7 days. */
    public static Duration until(Instant now, Instant dueAt) {
        Duration remaining = untilUncapped(now, dueAt);
        return remaining.compareTo(MAX_VISIBILITY) > 0 ? MAX_VISIBILITY : remaining;
    }

    /** Whole seconds from {@code now} until {@code dueAt}, rounded up; zero when already due. */
    public static Duration untilUncapped(Instant now, Instant dueAt) {
        Duration remaining = Duration.between(now, dueAt);
        if (remaining.isNegative() || remaining.isZero()) {
            return Duration.ZERO;
        }
        return Duration.ofSeconds(remaining.getSeconds() + (remaining.getNano() > 0 ? 1 : 0));
    }

    /** True when a timer waking at {@code now} must hop again instead of acting. */
    public static boolean isEarly(Instant now, Instant dueAt) {
        return now.isBefore(dueAt);
    }
}
