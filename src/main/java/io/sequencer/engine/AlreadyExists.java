package io.sequencer.engine;

/** A store refused to create a record because one with the same key exists. */
public final class AlreadyExists extends RuntimeException {
    public AlreadyExists(String what) {
        super(what + " already exists");
    }
}
