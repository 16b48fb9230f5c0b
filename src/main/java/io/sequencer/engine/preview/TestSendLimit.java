package io.sequencer.engine.preview;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * At most {@code limit} test sends per account in any {@code window} (a sliding one), counted in this process: a
 * tester's check, not a channel for bulk mail. A send refused here takes no share.
 */
final class TestSendLimit {
    private final int limit;
    private final Duration window;
    private final Map<String, Deque<Instant>> sends = new HashMap<>();

    TestSendLimit(int limit, Duration window) {
        this.limit = limit;
        this.window = window;
    }

    int limit() {
        return limit;
    }

    Duration window() {
        return window;
    }

    /** Takes a share for {@code account} at {@code now}: empty when it may send, else how long until it may. */
    synchronized Optional<Duration> take(String account, Instant now) {
        Deque<Instant> recent = sends.computeIfAbsent(account, a -> new ArrayDeque<>());
        while (!recent.isEmpty() && !recent.peekFirst().plus(window).isAfter(now)) {
            recent.pollFirst();
        }
        if (recent.size() >= limit) {
            return Optional.of(Duration.between(now, recent.peekFirst().plus(window)));
        }
        recent.addLast(now);
        return Optional.empty();
    }
}
