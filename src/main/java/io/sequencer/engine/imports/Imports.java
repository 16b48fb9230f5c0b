package io.sequencer.engine.imports;

import io.sequencer.domain.Ids;
import io.sequencer.domain.Invalid;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Receiving an import: each part of the file is read record by record and staged in pages of rows as it is read
 * (a few pages at a time, so memory stays bounded whatever the part's size), refused rows are recorded with their
 * line, and only then is the part counted on the job, conditionally. A part received again (same number) changes
 * nothing; a crash before the count leaves pages nobody reads until the retry writes them again under the same
 * numbers. The job that applies the pages ({@link ImportPages}) is woken when it has stopped for want of pages.
 */
public final class Imports {
    /** Errors one read returns. */
    public static final int MAX_ERRORS = 1_000;
    /** Pages written together while a part is read. */
    static final int STAGE_BATCH = 20;
    private static final int ERROR_BATCH = 100;
    private static final int MAX_RACES = 10;

    private final ImportStore store;
    private final ImportQueue queue;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    public Imports(ImportStore store, ImportQueue queue, Clock clock) {
        this.store = store;
        this.queue = queue;
        this.clock = clock;
    }

    /**
     * Starts an import of the account's subscribers with its first part ({@code last}: the only one), in
     * {@code format} (the name the parts were read in), welcoming new subscribers into the sequences that start on
     * subscription only when {@code welcome}. @return the job, with a new id
     */
    public ImportJob start(String account, String format, boolean welcome, boolean last, ImportFile part) {
        Ids.require("account", account);
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        String id = "imp-" + HexFormat.of().formatHex(bytes);
        ImportJob fresh = ImportJob.start(account, id, format, welcome, clock.instant());
        Staged staged = stage(fresh, part);
        ImportJob job = staged.applyTo(fresh, 1, last, clock);
        try {
            store.create(job);
        } catch (AlreadyExists impossible) {
            throw new IllegalStateException("96 random bits collided", impossible);
        }
        if (staged.pages() > 0) {
            queue.resume(account, id);
        }
        return job;
    }

    /**
     * Adds part {@code number} (the one after the last received; {@code last}: no more follow). A part already
     * received is not read again: the job is returned as it stands.
     * @throws Conflict on {@code part} when another part is expected, or the last one was received
     */
    public ImportJob receive(String account, String importId, int number, boolean last, ImportFile part) {
        Staged staged = null;
        for (int race = 0; race < MAX_RACES; race++) {
            Stored<ImportJob> current = find(account, importId);
            ImportJob job = current.value();
            if (number <= job.partsReceived()) {
                return job;
            }
            if (job.failure().isPresent()) {
                throw new Conflict("part", "import " + importId + " failed and takes no more parts");
            }
            if (job.lastPartReceived()) {
                throw new Conflict("part", "import " + importId + " received its last part, part "
                        + job.partsReceived());
            }
            if (number != job.partsReceived() + 1) {
                throw new Conflict("part", "import " + importId + " expects part " + (job.partsReceived() + 1));
            }
            if (staged == null) {
                staged = stage(job, part);
            }
            ImportJob updated = staged.applyTo(job, number, last, clock);
            try {
                store.replace(updated, current.etag());
            } catch (StaleWrite raced) {
                // The page job counted a page meanwhile (or a retry of this part won): count ours on what won.
                continue;
            }
            // The page job stops when it has applied every staged page; ours are the next, so wake it.
            if (staged.pages() > 0 && job.pagesDone() == job.pagesStaged()) {
                queue.resume(account, importId);
            }
            return updated;
        }
        throw new Conflict("import " + importId + " is changing concurrently; try again");
    }

    public ImportJob get(String account, String importId) {
        return find(account, importId).value();
    }

    /** Up to {@code max} of the import's row errors in line order, after line {@code afterLine}. */
    public List<RowError> errors(String account, String importId, long afterLine, int max) {
        find(account, importId);
        if (max < 1 || max > MAX_ERRORS) {
            throw new Invalid("limit", "must be from 1 to " + MAX_ERRORS);
        }
        return store.errors(account, importId, Math.max(0, afterLine), max);
    }

    private Stored<ImportJob> find(String account, String importId) {
        Ids.require("account", account);
        Ids.require("importId", importId);
        return store.find(account, importId).orElseThrow(() -> new NotFound("import " + importId));
    }

    /** What reading a part added: the header in force, lines read, rows (refused ones among them) and pages. */
    private record Staged(List<String> columns, long lines, long rows, long refused, int pages) {
        ImportJob applyTo(ImportJob job, int number, boolean last, Clock clock) {
            return job.withPart(number, last, columns, lines, rows, pages, refused, clock.instant());
        }
    }

    private Staged stage(ImportJob job, ImportFile part) {
        ImportFile.Lines lines = part.open(job.columns(), job.linesRead() + 1);
        List<ImportPage> batch = new ArrayList<>(STAGE_BATCH);
        List<ImportRow> rows = new ArrayList<>(ImportPage.MAX_ROWS);
        List<RowError> errors = new ArrayList<>();
        int next = job.pagesStaged();
        long read = 0;
        long refused = 0;
        int size = 0;
        while (lines.hasNext()) {
            ImportLine line = lines.next();
            if (job.rowsReceived() + ++read > ImportJob.MAX_ROWS) {
                throw new Invalid("body", "an import holds at most " + ImportJob.MAX_ROWS + " rows; this part has"
                        + " more than the " + (ImportJob.MAX_ROWS - job.rowsReceived()) + " left");
            }
            if (line instanceof ImportRow row) {
                if (!rows.isEmpty() && size + row.size() > ImportPage.MAX_SIZE) {
                    batch.add(new ImportPage(next++, rows));
                    rows = new ArrayList<>(ImportPage.MAX_ROWS);
                    size = 0;
                }
                rows.add(row);
                size += row.size();
                if (rows.size() == ImportPage.MAX_ROWS) {
                    batch.add(new ImportPage(next++, rows));
                    rows = new ArrayList<>(ImportPage.MAX_ROWS);
                    size = 0;
                }
                if (batch.size() >= STAGE_BATCH) {
                    store.stage(job.account(), job.id(), batch);
                    batch.clear();
                }
            } else {
                refused++;
                errors.add((RowError) line);
                if (errors.size() == ERROR_BATCH) {
                    store.recordErrors(job.account(), job.id(), errors);
                    errors.clear();
                }
            }
        }
        if (!rows.isEmpty()) {
            batch.add(new ImportPage(next++, rows));
        }
        if (!batch.isEmpty()) {
            store.stage(job.account(), job.id(), batch);
        }
        if (!errors.isEmpty()) {
            store.recordErrors(job.account(), job.id(), errors);
        }
        return new Staged(lines.columns(), lines.linesRead(), read, refused, next - job.pagesStaged());
    }
}
