package io.sequencer.testing;

import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.report.Tally;
import io.sequencer.engine.Stored;
import io.sequencer.engine.enrollment.EnrollmentFilter;
import io.sequencer.engine.enrollment.EnrollmentPage;
import io.sequencer.engine.enrollment.EnrollmentStore;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * An enrollment store that hands every call to another: a test double overrides only the calls it intercepts (to
 * fail, hold or count them), so a method the port gains is forwarded by every double at once.
 */
public abstract class ForwardingEnrollmentStore implements EnrollmentStore {
    private final EnrollmentStore real;

    protected ForwardingEnrollmentStore(EnrollmentStore real) {
        this.real = real;
    }

    /** The store calls are handed to. */
    protected EnrollmentStore real() {
        return real;
    }

    @Override
    public Optional<Stored<Enrollment>> find(EnrollmentKey key) {
        return real.find(key);
    }

    @Override
    public void create(Enrollment enrollment) {
        real.create(enrollment);
    }

    @Override
    public void createAll(List<Enrollment> enrollments) {
        real.createAll(enrollments);
    }

    @Override
    public void replace(Stored<Enrollment> current, Enrollment next) {
        real.replace(current, next);
    }

    @Override
    public EnrollmentPage page(String account, String sequenceId, EnrollmentFilter filter, Optional<String> from,
                               int limit) {
        return real.page(account, sequenceId, filter, from, limit);
    }

    @Override
    public Optional<String> past(String account, String sequenceId, String from, String subscriberId) {
        return real.past(account, sequenceId, from, subscriberId);
    }

    @Override
    public void delete(Stored<Enrollment> current) {
        real.delete(current);
    }

    @Override
    public SortedMap<LocalDate, Tally> tally(String account, String sequenceId) {
        return real.tally(account, sequenceId);
    }
}
