package io.sequencer.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * At most {@code limit} sends in flight to one destination on this instance, each remembered by when it started,
 * so that a send that finds no free slot can be put off for about as long as the sends in flight have already
 * taken: a moment for a busy destination, seconds for one that hangs (fewer returns, less queue traffic).
 */
final class Bulkhead {
    private final int limit;
    /** When each send in flight started; never more than {@code limit}. */
    private final List<Instant> started = new ArrayList<>();

    Bulkhead(int limit) {
        this.limit = limit;
    }

    /**
     * A slot, started at {@code now}, waiting up to {@code wait} (real time) for one to come free; empty when none
     * did.
     */
    synchronized Optional<Instant> enter(Instant now, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (started.size() >= limit) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            wait(Math.max(1, left / 1_000_000));
        }
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
