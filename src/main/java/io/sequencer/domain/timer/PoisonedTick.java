package io.sequencer.domain.timer;

import io.sequencer.domain.enrollment.EnrollmentKey;
import java.time.Instant;

/**
 * A tick that failed every attempt and left the tick queue, as kept for its sequence: the tick itself (so it can
 * be replayed), the latest error, when that was, and how often this same timer was poisoned.
 *
 * @param error one short line without secrets (see {@link SafeText})
 * @param times how many times this timer was recorded as poisoned (a replayed tick may fail again)
 */
public record PoisonedTick(Tick tick, String error, Instant at, int times) {
    /** Errors are kept as one short line; longer text is cut by {@link SafeText} before it gets here. */
    public static final int MAX_ERROR = 300;

    public PoisonedTick {
        if (tick == null || error == null || at == null) {
            throw new IllegalArgumentException("tick, error and at are required");
        }
        if (error.isBlank() || error.length() > MAX_ERROR || error.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("error must be one line of 1 to " + MAX_ERROR + " characters");
        }
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1");
        }
    }

    public static PoisonedTick first(Tick tick, String error, Instant at) {
        return new PoisonedTick(tick, error, at, 1);
    }

    /**
     * The same timer recorded again (a later attempt, another instance, or a copy replayed and poisoned once
     * more). The newest error wins, so a record arriving late from a slower clock cannot hide a newer one.
     */
    public PoisonedTick poisonedAgain(Tick copy, String newError, Instant newAt) {
        if (!Identity.of(copy).equals(identity())) {
            throw new IllegalArgumentException("another timer: " + Identity.of(copy));
        }
        return newAt.isBefore(at) ? new PoisonedTick(tick, error, at, times + 1)
                : new PoisonedTick(copy, newError, newAt, times + 1);
    }

    Identity identity() {
        return Identity.of(tick);
    }

    /**
     * What makes two poisoned ticks one entry: the same timer of the same step of the same enrollment epoch.
     * Copies of one timer (its retries, hops and holds keep its token) collapse into one entry. Two timers of
     * the same step (a stray copy left by a crash, and the committed one) stay apart: only the committed one's
     * token gets past the tick handler, so keeping just one of them could keep the wrong one.
     */
    public record Identity(EnrollmentKey key, long epoch, int cursor, String token) {
        static Identity of(Tick tick) {
            return new Identity(tick.key(), tick.epoch(), tick.cursor(), tick.token());
        }
    }
}
