package io.sequencer.engine.imports;

import java.util.Iterator;
import java.util.List;

/** One part of an import's file, read record by record in the file's format (the adapters know the formats). */
public interface ImportFile {
    /**
     * Reads the part whose first line is {@code firstLine}, with the header read from an earlier part ({@code
     * columns}, empty when none was). A part that cannot be read at all (a bad header) throws
     * {@link io.sequencer.domain.Invalid}; a bad record is a {@link RowError} among the lines.
     */
    Lines open(List<String> columns, long firstLine);

    /** The part's records in order; once they are read, the header in force and how many lines the part had. */
    interface Lines extends Iterator<ImportLine> {
        List<String> columns();

        long linesRead();
    }
}
