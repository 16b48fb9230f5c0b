package io.sequencer.engine.preview;

import java.time.Duration;

/** An account asked for more test sends than it may make in a minute; {@code retryAfter} says when one is free. */
public final class TooManyTestSends extends RuntimeException {
    private final Duration retryAfter;

    public TooManyTestSends(int limit, Duration window, Duration retryAfter) {
        super("at most " + limit + " test sends per account in " + window.toSeconds() + " seconds; try again in "
                + Math.max(1, retryAfter.toSeconds()) + " seconds");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
