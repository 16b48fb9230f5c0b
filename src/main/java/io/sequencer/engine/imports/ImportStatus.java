package io.sequencer.engine.imports;

import java.util.Locale;

/** Where an import stands. */
public enum ImportStatus {
    /** More parts of the file are to come. */
    RECEIVING,
    /** Every part is in; rows are still being applied. */
    IMPORTING,
    /** Every row was applied or reported as an error. */
    COMPLETED,
    /** A page failed every attempt; the import stopped there. */
    FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
