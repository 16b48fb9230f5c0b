package io.sequencer.engine.idempotency;

/** An idempotency key sent again with a different request than the one it was first used for. */
public final class IdempotencyKeyReused extends RuntimeException {
    public IdempotencyKeyReused() {
        super("this key was first used with a different request (method, path or body); "
                + "use a new key for a new request");
    }
}
