package io.sequencer.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * At most {@code limit} sends in flight to one destination on this instance, each remembered by when it started,
 * so that a send that finds no free slot can be put off for about as long as the sends in flight have already
 * taken: a moment for a busy destination, seconds for one that hangs (fewer returns, less queue traffic). At most
 * as many again may wait for a slot, so that one destination never holds more than {@code 2 * limit} workers.
 */
final class Bulkhead {
    private final int limit;
    /** When each send in flight started; never more than {@code limit}. */
    private final List<Instant> started = new ArrayList<>();
    /** Sends waiting in {@link #enter} for a slot; never more than {@code limit}. */
    private int waiting;

    Bulkhead(int limit) {
        this.limit = limit;
    }

    /**
     * A slot, waiting (real time) for one to come free for at most {@code patience}, and only while the oldest send in
     * flight has taken less than {@code slowAfter} by {@code clock}: a healthy destination frees a slot within
     * moments, so a burst to it queues here; once a send in flight there is slow, waiting longer only holds a
     * worker. The slot is stamped with the moment it was taken. Empty when no slot came free in time, or at once
     * when {@code limit} sends are waiting already.
     */
    synchronized Optional<Instant> enter(Clock clock, Duration patience, Duration slowAfter) throws InterruptedException {
        if (started.size() >= limit && waiting >= limit) {
            return Optional.empty();
        }
        long deadline = System.nanoTime() + patience.toNanos();
        waiting++;
        try {
            while (started.size() >= limit) {
                Duration untilSlow = slowAfter.minus(longestInFlight(clock.instant()));
                long left = Math.min(deadline - System.nanoTime(), untilSlow.toNanos());
                if (left <= 0) {
                    return Optional.empty();
                }
                wait(Math.max(1, left / 1_000_000));
            }
        } finally {
            waiting--;
        }
        Instant now = clock.instant();
        started.add(now);
        return Optional.of(now);
    }

    /** Frees the slot of the send that started at {@code startedAt}. */
    synchronized void leave(Instant startedAt) {
        started.remove(startedAt);
        notify();
    }

    /** How long the oldest send in flight has taken so far (zero when none is). */
    synchronized Duration longestInFlight(Instant now) {
        return started.stream().min(Instant::compareTo).map(oldest -> Duration.between(oldest, now))
                .filter(d -> !d.isNegative()).orElse(Duration.ZERO);
    }
}
