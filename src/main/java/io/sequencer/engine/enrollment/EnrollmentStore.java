package io.sequencer.engine.enrollment;

import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.report.Tally;
import io.sequencer.engine.Stored;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Port: where enrollments live. Writes are conditional, the only lock storage offers.
 *
 * <p>The store also keeps each sequence's {@link Tally}: every write adds {@link Tally#between} its before and
 * after states, in the same atomic write, so the counts are exactly as many as the changes that were stored.
 */
public interface EnrollmentStore {
    Optional<Stored<Enrollment>> find(EnrollmentKey key);

    /** @throws AlreadyExists when an enrollment with the same key exists */
    void create(Enrollment enrollment);

    /**
     * Creates every one of {@code enrollments} (of one sequence, distinct subscribers, at most {@link #MAX_CREATE_ALL})
     * at once, with their counts, or none of them.
     * @throws AlreadyExists when any of them exists (nothing is written)
     */
    void createAll(List<Enrollment> enrollments);

    /** The most enrollments {@link #createAll} takes: a table batch holds 100 entities, and the counts take one. */
    int MAX_CREATE_ALL = 99;

    /** Writes {@code next} over {@code current}. @throws StaleWrite when the stored ETag is no longer current's */
    void replace(Stored<Enrollment> current, Enrollment next);

    /**
     * Up to {@code limit} of the sequence's enrollments that {@code filter} matches, in subscriber-id order,
     * starting where an earlier page's {@link EnrollmentPage#next()} says ({@code from}; at the first when empty).
     * One partition range read per request, however many sequences or accounts the table holds; a store may stop
     * early and say where to go on.
     */
    EnrollmentPage page(String account, String sequenceId, EnrollmentFilter filter, Optional<String> from, int limit);

    /**
     * A position ({@code from}, an earlier page's {@link EnrollmentPage#next()}) that no longer names
     * {@code subscriberId}, whose enrollment in the sequence is gone: when {@code from} starts at their row, where a
     * page from it would start anyway (the first existing row after theirs, read as one row of the sequence's
     * range), or, when no row follows, a position at the end of the sequence's range (a page from it is empty and
     * last), which names nobody. The positions a store issues name a row by its subscriber id, so an erasure
     * rewrites the ones it keeps (a bulk job's resume point). Reads only.
     * @return the position to use instead; empty when {@code from} does not name {@code subscriberId}
     */
    Optional<String> past(String account, String sequenceId, String from, String subscriberId);

    /**
     * Deletes the enrollment if it is still as read (one already gone stays gone); the sequence's counts keep what
     * it added to them. Only an ended enrollment is deleted (an active one leaves first, a counted change), so the
     * {@code waiting} gauges never count one that is gone.
     * @throws IllegalArgumentException when it is active
     * @throws StaleWrite when it changed since
     */
    void delete(Stored<Enrollment> current);

    /** The sequence's counts per UTC day on which they were written; only days with counts appear. */
    SortedMap<LocalDate, Tally> tally(String account, String sequenceId);
}
