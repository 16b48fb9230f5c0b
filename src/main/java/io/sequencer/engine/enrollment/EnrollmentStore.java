package io.sequencer.engine.enrollment;

import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.report.Tally;
import io.sequencer.engine.Stored;
import java.time.LocalDate;
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

    /** Writes {@code next} over {@code current}. @throws StaleWrite when the stored ETag is no longer current's */
    void replace(Stored<Enrollment> current, Enrollment next);

    /** The sequence's counts per UTC day on which they were written; only days with counts appear. */
    SortedMap<LocalDate, Tally> tally(String account, String sequenceId);
}
