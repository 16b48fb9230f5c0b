package io.sequencer.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Waits for an event the test cannot be told of: polls a condition until it holds, or fails at a limit. */
public final class Await {
    private static final Duration FIRST_PAUSE = Duration.ofMillis(25);
    /**
     * Many conditions ask storage or the host (a queue's depth, a broadcast's progress): polled every 50 ms, the
     * waits of a few test JVMs side by side took a share of the cores from the work they waited for. The pause
     * doubles up to this, so a wait sees its event at most this late.
     */
    private static final Duration LONGEST_PAUSE = Duration.ofMillis(250);

    private Await() {}

    /** Returns as soon as {@code condition} holds; throws an {@link AssertionError} once {@code limit} has passed. */
    public static void await(BooleanSupplier condition, Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        Duration pause = FIRST_PAUSE;
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within " + limit);
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }
}
