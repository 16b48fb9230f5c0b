package io.sequencer.engine;

/** A request cannot be carried out in the current state (e.g. it kept losing a race). */
public final class Conflict extends RuntimeException {
    public Conflict(String detail) {
        super(detail);
    }
}
