package io.sequencer.engine;

/** A store refused a conditional write: the record changed since it was read (ETag mismatch). */
public final class StaleWrite extends RuntimeException {
    public StaleWrite(String what) {
        super(what + " changed since it was read");
    }
}
