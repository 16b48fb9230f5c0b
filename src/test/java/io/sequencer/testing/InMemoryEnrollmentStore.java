package io.sequencer.testing;

import io.sequencer.domain.Enrollment;
import io.sequencer.domain.EnrollmentKey;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.EnrollmentStore;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** In-memory {@link EnrollmentStore} with ETags; held to the same contract as the table. */
public final class InMemoryEnrollmentStore implements EnrollmentStore {
    private final Map<EnrollmentKey, Stored<Enrollment>> rows = new ConcurrentHashMap<>();
    private final AtomicLong etags = new AtomicLong();

    @Override
    public Optional<Stored<Enrollment>> find(EnrollmentKey key) {
        return Optional.ofNullable(rows.get(key));
    }

    @Override
    public synchronized void create(Enrollment enrollment) {
        if (rows.putIfAbsent(enrollment.key(), stored(enrollment)) != null) {
            throw new AlreadyExists("enrollment " + enrollment.key());
        }
    }

    @Override
    public synchronized void replace(Enrollment enrollment, String etag) {
        Stored<Enrollment> current = rows.get(enrollment.key());
        if (current == null || !current.etag().equals(etag)) {
            throw new StaleWrite("enrollment " + enrollment.key());
        }
        rows.put(enrollment.key(), stored(enrollment));
    }

    private Stored<Enrollment> stored(Enrollment enrollment) {
        return new Stored<>(enrollment, "W/\"" + etags.incrementAndGet() + "\"");
    }
}
