package io.sequencer.engine.send;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * At most {@code limit} sends in flight to one destination on this instance, each remembered by when it started,
 * so that a send that finds no free slot can be put off for about as long as the sends in flight have already
 * taken: a moment for a busy destination, seconds for one that hangs (fewer returns, less queue traffic). A send
 * that finds every slot taken waits for one only while the wait looks short: up to {@code limit} sends may always
 * wait, and up to {@code 3 * limit} while the destination's recent sends say the line clears within
 * {@link #SHORT_WAIT} (or, before any send there has ended, for {@link #UNPROVEN_WAIT} at most); so a burst to a
 * healthy receiver queues for its turn, and a destination never holds more than {@code 4 * limit} workers, those
 * only for moments.
 */
final class Bulkhead {
    private final int limit;
    /** When each send in flight started; never more than {@code limit}. */
    private final List<Instant> started = new ArrayList<>();
    /** A line of waiting sends expected to clear within this may grow beyond {@code limit}. */
    static final Duration SHORT_WAIT = Duration.ofMillis(300);
    /**
     * Before any send to a destination has ended, nothing says how fast it is: a longer line may wait, but only this
     * long for the first sends to end (a healthy receiver answers sooner; a hanging one holds those workers no longer).
     */
    static final Duration UNPROVEN_WAIT = Duration.ofMillis(150);
    /** Sends waiting in {@link #enter} for a slot; never more than {@code 3 * limit}. */
    private int waiting;
    /** How long this destination's recent sends took (a moving average, in nanoseconds); -1 before the first. */
    private long typicalSendNanos = -1;
    /** Where a send waits for a slot and how it is woken when one comes free. */
    private final SlotWaits waits;

    Bulkhead(int limit) {
        this(limit, SlotWaits.REAL_TIME);
    }

    Bulkhead(int limit, SlotWaits waits) {
        this.limit = limit;
        this.waits = waits;
    }

    /**
     * A slot, waiting ({@link SlotWaits}, real time but in tests) for one to come free for at most {@code patience},
     * and only while the oldest send in flight has taken less than {@code slowAfter} by {@code clock}: a healthy
     * destination frees a slot within moments, so a burst to it queues here; once a send in flight there is slow,
     * waiting longer only holds a worker. The slot is stamped with the moment it was taken. Empty when no slot came
     * free in time, or at once when the line of waiting sends may not grow (see {@code mayWait}).
     */
    synchronized Optional<Instant> enter(Clock clock, Duration patience, Duration slowAfter) throws InterruptedException {
        if (started.size() >= limit && !mayWait()) {
            return Optional.empty();
        }
        long deadline = waits.nanoTime() + patience.toNanos();
        waiting++;
        try {
            while (started.size() >= limit) {
                Duration slow = typicalSendNanos < 0 && UNPROVEN_WAIT.compareTo(slowAfter) < 0 ? UNPROVEN_WAIT : slowAfter;
                Duration untilSlow = slow.minus(longestInFlight(clock.instant()));
                long left = Math.min(deadline - waits.nanoTime(), untilSlow.toNanos());
                if (left <= 0) {
                    return Optional.empty();
                }
                waits.await(this, Math.max(1, left / 1_000_000));
            }
        } finally {
            waiting--;
        }
        Instant now = clock.instant();
        started.add(now);
        return Optional.of(now);
    }

    /** Frees the slot of the send that started at {@code startedAt} and ended at {@code endedAt}. */
    synchronized void leave(Instant startedAt, Instant endedAt) {
        started.remove(startedAt);
        long took = Math.max(0, Duration.between(startedAt, endedAt).toNanos());
        typicalSendNanos = typicalSendNanos < 0 ? took : (typicalSendNanos * 4 + took) / 5;
        waits.wakeOne(this);
    }

    /** Whether one more send may join the line: always while it is short, longer while the line clears fast. */
    private boolean mayWait() {
        if (waiting < limit) {
            return true;
        }
        if (waiting >= 3 * limit) {
            return false;
        }
        if (typicalSendNanos < 0) {
            return true; // for UNPROVEN_WAIT at most
        }
        long clearsIn = (waiting + 1) * typicalSendNanos / limit;
        return clearsIn <= SHORT_WAIT.toNanos();
    }

    /** How long the oldest send in flight has taken so far (zero when none is). */
    synchronized Duration longestInFlight(Instant now) {
        return started.stream().min(Instant::compareTo).map(oldest -> Duration.between(oldest, now))
                .filter(d -> !d.isNegative()).orElse(Duration.ZERO);
    }
}
