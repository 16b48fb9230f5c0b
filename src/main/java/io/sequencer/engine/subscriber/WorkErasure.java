package io.sequencer.engine.subscriber;

import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.enrollment.EnrollmentStore;
import io.sequencer.engine.imports.ImportPage;
import io.sequencer.engine.imports.ImportRow;
import io.sequencer.engine.imports.ImportStore;
import io.sequencer.engine.imports.RowError;
import io.sequencer.engine.job.Job;
import io.sequencer.engine.job.JobRequest;
import io.sequencer.engine.job.JobStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Takes an erased subscriber out of the account's bulk jobs and imports, which keep subscriber ids of their own.
 *
 * <p>A job keeps its listed ids, its claimed page and its kept errors: the subscriber's place in them is taken by a
 * marker that is no id (positions kept, so a running job's paging skips no one, and the item reports as erased), in
 * one conditional write, read again and redone when a page's write landed first. A filtered job also keeps where
 * its next page starts, the enrollment store's position, which names the row of the next enrollment in line, a
 * subscriber's id: one at the erased subscriber's row (deleted before) moves to where a page from it starts anyway,
 * the next row or the end of the sequence's range ({@link EnrollmentStore#past}). An import keeps staged pages (rows
 * with ids, dropped once applied; a crash can leave one) and row errors: the subscriber's rows leave the pages, and
 * an error whose reason names them gets a reason that does not. Each step finds what it already did done, so the
 * erasure can be repeated.
 */
final class WorkErasure {
    private static final int MAX_RACES = 5;
    private static final int ERROR_PAGE = 500;
    static final String ERASED_REASON = "names a subscriber who was erased";

    private final EnrollmentStore enrollments;
    private final Optional<JobStore> jobs;
    private final Optional<ImportStore> imports;
    private final Clock clock;

    WorkErasure(EnrollmentStore enrollments, Optional<JobStore> jobs, Optional<ImportStore> imports, Clock clock) {
        this.enrollments = enrollments;
        this.jobs = jobs;
        this.imports = imports;
        this.clock = clock;
    }

    void erase(String account, String subscriberId) {
        jobs.ifPresent(store -> {
            for (Stored<Job> job : store.list(account)) {
                eraseFromJob(store, job, subscriberId);
            }
        });
        imports.ifPresent(store -> {
            Pattern named = naming(subscriberId);
            for (String importId : store.list(account)) {
                eraseFromPages(store, account, importId, subscriberId);
                eraseFromErrors(store, account, importId, named);
            }
        });
    }

    private void eraseFromJob(JobStore store, Stored<Job> found, String subscriberId) {
        Stored<Job> current = found;
        for (int race = 0; race < MAX_RACES; race++) {
            Optional<Job> scrubbed = scrubbed(current.value(), subscriberId);
            if (scrubbed.isEmpty()) {
                return;
            }
            try {
                store.replace(current, scrubbed.get());
                return;
            } catch (StaleWrite moved) {
                // A page claimed or committed meanwhile: erase from what it wrote.
                Optional<Stored<Job>> again = store.find(current.value().account(), current.value().id());
                if (again.isEmpty()) {
                    return;
                }
                current = again.get();
            }
        }
        throw new Conflict("job " + found.value().id() + " is changing concurrently; try the erasure again");
    }

    /**
     * The job without {@code subscriberId}, or empty when it does not name them: their place in its ids taken, and
     * a filtered job's resume points (its cursor, its claimed page's next) that start at their row, which the
     * erasure deleted before, moved to where a page from there starts anyway ({@link EnrollmentStore#past}), so
     * the job goes on exactly as it would have.
     */
    private Optional<Job> scrubbed(Job job, String subscriberId) {
        Instant now = clock.instant();
        Job next = job.names(subscriberId) ? job.erasing(subscriberId, now) : job;
        if (job.request().selection() instanceof JobRequest.Filtered) {
            String sequenceId = job.request().sequenceId();
            // Only past a row that is gone: an enrollment written after the erasure's visit is still to be acted on.
            EnrollmentKey key = new EnrollmentKey(job.account(), sequenceId, subscriberId);
            UnaryOperator<String> past = from -> enrollments.past(job.account(), sequenceId, from, subscriberId)
                    .filter(moved -> enrollments.find(key).isEmpty()).orElse(from);
            Optional<String> cursor = next.cursor().map(past);
            Optional<String> claimNext = next.claimed().flatMap(Job.Claim::next).map(past);
            if (!cursor.equals(next.cursor()) || !claimNext.equals(next.claimed().flatMap(Job.Claim::next))) {
                next = next.resumingAt(cursor, claimNext, now);
            }
        }
        return next == job ? Optional.empty() : Optional.of(next);
    }

    /**
     * Pages are rewritten whole (an upsert): a page that keeps none of its rows is kept empty rather than dropped,
     * because the import counts it as staged and applies it in turn.
     */
    private static void eraseFromPages(ImportStore store, String account, String importId, String subscriberId) {
        List<ImportPage> scrubbed = new ArrayList<>();
        for (ImportPage page : store.staged(account, importId)) {
            List<ImportRow> kept = page.rows().stream().filter(r -> !r.subscriberId().equals(subscriberId)).toList();
            if (kept.size() < page.rows().size()) {
                scrubbed.add(new ImportPage(page.number(), kept));
            }
        }
        if (scrubbed.isEmpty()) {
            return;
        }
        store.stage(account, importId, scrubbed);
        // A page applied and dropped while it was read would be back for good: drop what the import counts as done.
        int done = store.find(account, importId).map(found -> found.value().pagesDone()).orElse(Integer.MAX_VALUE);
        scrubbed.stream().filter(page -> page.number() < done)
                .forEach(page -> store.dropPage(account, importId, page.number()));
    }

    private static void eraseFromErrors(ImportStore store, String account, String importId, Pattern named) {
        long after = 0;
        List<RowError> page;
        do {
            page = store.errors(account, importId, after, ERROR_PAGE);
            List<RowError> scrubbed = new ArrayList<>();
            for (RowError error : page) {
                if (named.matcher(error.reason()).find() || named.matcher(error.field()).find()) {
                    String field = named.matcher(error.field()).find() ? "line" : error.field();
                    scrubbed.add(new RowError(error.line(), field, ERASED_REASON));
                }
                after = error.line();
            }
            if (!scrubbed.isEmpty()) {
                store.recordErrors(account, importId, scrubbed);
            }
        } while (page.size() == ERROR_PAGE);
    }

    /**
     * The id as a word of free text: not inside a longer run of letters and digits (so "ann" does not match in
     * "annual"), though the punctuation ids may hold can end it ("ann." at the end of a sentence still names ann).
     */
    private static Pattern naming(String subscriberId) {
        return Pattern.compile("(?<![A-Za-z0-9])" + Pattern.quote(subscriberId) + "(?![A-Za-z0-9])");
    }
}
