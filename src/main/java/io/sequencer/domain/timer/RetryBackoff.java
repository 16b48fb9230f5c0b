package io.sequencer.domain.timer;

import io.sequencer.domain.enrollment.DeliveryId;
import java.time.Duration;

/**
 * Back-off for transient send failures, taken by re-enqueueing the tick (never by sleeping in a function).
 * Exponential from {@code base}, capped, with up to 20% jitter derived from the delivery id, so retries of
 * many subscribers spread out while one delivery's schedule stays reproducible.
 */
public record RetryBackoff(Duration base, Duration cap, int maxAttempts) {
    public static final RetryBackoff DEFAULT = new RetryBackoff(Duration.ofSeconds(10), Duration.ofHours(1), 8);

    public RetryBackoff {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0 || maxAttempts < 1
                || cap.compareTo(TimerDelay.MAX_VISIBILITY.dividedBy(2)) > 0) {
            throw new IllegalArgumentException("need 0 < base <= cap <= 3.5 days and maxAttempts >= 1");
        }
    }

    /** True when a send that failed on {@code attempt} may be tried again. */
    public boolean mayRetryAfter(int attempt) {
        return attempt < maxAttempts;
    }

    /**
     * The wait before attempt {@code failedAttempt + 1}. A server's {@code Retry-After}, when longer, wins, up to
     * the queue's 7-day visibility cap (a server asking for more is retried after 7 days).
     */
    public Duration delayAfter(int failedAttempt, DeliveryId deliveryId, Duration retryAfter) {
        int doublings = Math.min(Math.max(failedAttempt - 1, 0), 30);
        Duration exponential = base.multipliedBy(1L << doublings);
        Duration capped = exponential.compareTo(cap) > 0 ? cap : exponential;
        int jitterPercent = Math.floorMod((deliveryId.value() + "#" + failedAttempt).hashCode(), 21);
        Duration jittered = capped.plus(capped.multipliedBy(jitterPercent).dividedBy(100));
        Duration wanted = retryAfter != null && retryAfter.compareTo(jittered) > 0 ? retryAfter : jittered;
        return wanted.compareTo(TimerDelay.MAX_VISIBILITY) > 0 ? TimerDelay.MAX_VISIBILITY : wanted;
    }

    /** The wait before a tick that found its enrollment behind it looks again: 1 s doubling to 1 min. */
    public static Duration waitForCommit(int waits) {
        return Duration.ofSeconds(Math.min(1L << Math.min(waits, 6), 60));
    }

    /** The wait before a tick that found its sequence paused looks again: 5 s doubling to 5 min. */
    public static Duration waitWhilePaused(int holds) {
        return Duration.ofSeconds(Math.min(5L << Math.min(holds, 6), 300));
    }

    /** After this many looks (about half an hour) a tick ahead of its enrollment is an orphan and is dropped. */
    public static final int MAX_WAITS = 36;
}
