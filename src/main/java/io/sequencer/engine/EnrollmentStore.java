package io.sequencer.engine;

import io.sequencer.domain.Enrollment;
import io.sequencer.domain.EnrollmentKey;
import java.util.Optional;

/** Port: where enrollments live. Writes are conditional, the only lock storage offers. */
public interface EnrollmentStore {
    Optional<Stored<Enrollment>> find(EnrollmentKey key);

    /** @throws AlreadyExists when an enrollment with the same key exists */
    void create(Enrollment enrollment);

    /** @throws StaleWrite when the stored enrollment's ETag is no longer {@code etag} */
    void replace(Enrollment enrollment, String etag);
}
