package io.sequencer.engine;

/** The thing a request names does not exist (for this account). */
public final class NotFound extends RuntimeException {
    public NotFound(String what) {
        super(what + " not found");
    }
}
