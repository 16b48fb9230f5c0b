package io.sequencer.engine;

import java.util.Optional;

/**
 * A request cannot be carried out in the current state (e.g. it kept losing a race); {@code field} names the
 * request field at odds with that state, when one is.
 */
public final class Conflict extends RuntimeException {
    /** Null when no one field is at odds. */
    private final String field;

    public Conflict(String detail) {
        super(detail);
        this.field = null;
    }

    public Conflict(String field, String detail) {
        super(detail);
        this.field = field;
    }

    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
