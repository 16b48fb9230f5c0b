package io.sequencer.domain;

import java.util.List;

/** A request or value broke a rule; carries every field at fault so the caller can fix them all at once. */
public final class Invalid extends RuntimeException {
    private final List<FieldError> errors;

    public Invalid(List<FieldError> errors) {
        super(describe(errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("an Invalid needs at least one field error");
        }
        this.errors = List.copyOf(errors);
    }

    public Invalid(String field, String reason) {
        this(List.of(new FieldError(field, reason)));
    }

    public List<FieldError> errors() {
        return errors;
    }

    private static String describe(List<FieldError> errors) {
        return errors.stream().map(e -> e.field() + ": " + e.reason()).reduce((a, b) -> a + "; " + b).orElse("invalid");
    }
}
