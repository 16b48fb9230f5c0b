package io.sequencer.engine.idempotency;

import java.time.Duration;

/** A request with this idempotency key is running right now; the retry should wait for its answer. */
public final class IdempotencyKeyInUse extends RuntimeException {
    private final Duration retryAfter;

    public IdempotencyKeyInUse(Duration retryAfter) {
        super("a request with this key is still running; retry after " + retryAfter.toSeconds()
                + " s to get its answer");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
