package io.sequencer.engine.imports;

/** A row the import refused (it could not be read) or could not apply (a sequence it names is missing), by line. */
public record RowError(long line, String field, String reason) implements ImportLine {
    /** Longest reason kept: a row's error is a sentence, not a stack. */
    public static final int MAX_REASON = 500;

    public RowError {
        if (field == null || reason == null) {
            throw new IllegalArgumentException("field and reason are required");
        }
        reason = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
    }
}
