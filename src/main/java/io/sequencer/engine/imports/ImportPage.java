package io.sequencer.engine.imports;

import java.util.List;

/**
 * Rows of an import staged together (at most {@link #MAX_ROWS}), applied and counted as one. A page is staged with
 * at least one row; it may be left with none when an erasure took out every row of it, and still applies (to
 * nothing), so the import's count of pages stays true.
 */
public record ImportPage(int number, List<ImportRow> rows) {
    /** As many rows as one table batch may create together. */
    public static final int MAX_ROWS = 100;
    /** Characters a page's rows may take ({@link ImportRow#size()}), so that it fits one table entity. */
    public static final int MAX_SIZE = 200_000;

    public ImportPage {
        rows = List.copyOf(rows);
        if (number < 0 || rows.size() > MAX_ROWS) {
            throw new IllegalArgumentException("a page has a number >= 0 and at most " + MAX_ROWS + " rows");
        }
    }
}
