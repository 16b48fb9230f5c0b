package io.sequencer.engine.imports;

import io.sequencer.engine.Stored;
import java.util.List;
import java.util.Optional;

/**
 * Port: imports, their staged pages and their rows' errors, kept apart from everything else an account stores.
 * Writes of the job are conditional, like every store's; pages and errors are keyed by number and line, so writing
 * one again (a retried part or page) replaces it with the same thing.
 */
public interface ImportStore {
    Optional<Stored<ImportJob>> find(String account, String importId);

    /** @throws io.sequencer.engine.AlreadyExists when an import of that id exists */
    void create(ImportJob job);

    /** @throws io.sequencer.engine.StaleWrite when the stored job's ETag is no longer {@code etag} */
    void replace(ImportJob job, String etag);

    /** The ids of every import of {@code account}, in id order. */
    List<String> list(String account);

    /** The pages of an import staged and not yet dropped, in number order. */
    List<ImportPage> staged(String account, String importId);

    /** Stores the pages (replacing any of the same number), in as few writes as the storage allows. */
    void stage(String account, String importId, List<ImportPage> pages);

    Optional<ImportPage> page(String account, String importId, int number);

    /** Removes an applied page; one already gone is no error. */
    void dropPage(String account, String importId, int number);

    /** Stores the errors (replacing any of the same line). */
    void recordErrors(String account, String importId, List<RowError> errors);

    /** Up to {@code max} errors in line order, after line {@code afterLine} (0: from the first). */
    List<RowError> errors(String account, String importId, long afterLine, int max);
}
