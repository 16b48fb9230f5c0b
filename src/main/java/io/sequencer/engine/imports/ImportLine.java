package io.sequencer.engine.imports;

/** A record read from an import's file: a row to import, or a row refused with the reason, by its line. */
public sealed interface ImportLine permits ImportRow, RowError {
    /** The line of the file the record starts on, counted from 1 over every part. */
    long line();
}
