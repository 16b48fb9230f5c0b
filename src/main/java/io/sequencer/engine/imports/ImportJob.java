package io.sequencer.engine.imports;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An import of subscribers and how far it got: the parts of the file received, the pages of rows staged from them
 * and applied, and the rows counted. {@code columns} is the CSV header read from the first part (empty for NDJSON),
 * which later parts do not repeat; {@code linesRead} is where the next part's lines are counted from.
 */
public record ImportJob(String account, String id, String format, boolean welcome, List<String> columns,
                        int partsReceived, boolean lastPartReceived, long linesRead, long rowsReceived,
                        int pagesStaged, int pagesDone, long rowsImported, long rowsFailed,
                        Optional<String> failure, Instant createdAt, Instant updatedAt) {
    /** Rows one import may hold. */
    public static final long MAX_ROWS = 1_000_000;

    public ImportJob {
        columns = List.copyOf(columns);
        if (failure == null) {
            throw new IllegalArgumentException("failure may be empty, not null");
        }
    }

    static ImportJob start(String account, String id, String format, boolean welcome, Instant now) {
        return new ImportJob(account, id, format, welcome, List.of(), 0, false, 0, 0, 0, 0, 0, 0, Optional.empty(),
                now, now);
    }

    public ImportStatus status() {
        if (failure.isPresent()) {
            return ImportStatus.FAILED;
        }
        if (!lastPartReceived) {
            return ImportStatus.RECEIVING;
        }
        return pagesDone < pagesStaged ? ImportStatus.IMPORTING : ImportStatus.COMPLETED;
    }

    /** Rows received but neither applied nor refused yet. */
    public long rowsPending() {
        return rowsReceived - rowsImported - rowsFailed;
    }

    /** This job with part {@code number} received: its lines read, rows staged in pages and rows refused. */
    ImportJob withPart(int number, boolean last, List<String> header, long lines, long rows, int pages, long refused,
                       Instant now) {
        return new ImportJob(account, id, format, welcome, header, number, last, linesRead + lines,
                rowsReceived + rows, pagesStaged + pages, pagesDone, rowsImported, rowsFailed + refused, failure,
                createdAt, now);
    }

    /** This job with its next page applied: {@code imported} rows stored, {@code failed} reported. */
    ImportJob withPageDone(long imported, long failed, Instant now) {
        return new ImportJob(account, id, format, welcome, columns, partsReceived, lastPartReceived, linesRead,
                rowsReceived, pagesStaged, pagesDone + 1, rowsImported + imported, rowsFailed + failed, failure,
                createdAt, now);
    }

    ImportJob failed(String error, Instant now) {
        return new ImportJob(account, id, format, welcome, columns, partsReceived, lastPartReceived, linesRead,
                rowsReceived, pagesStaged, pagesDone, rowsImported, rowsFailed, Optional.of(error), createdAt, now);
    }
}
