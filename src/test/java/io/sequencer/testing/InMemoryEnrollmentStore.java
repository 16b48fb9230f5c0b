package io.sequencer.testing;

import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.report.Tally;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.enrollment.EnrollmentFilter;
import io.sequencer.engine.enrollment.EnrollmentPage;
import io.sequencer.engine.enrollment.EnrollmentStore;
import java.util.ArrayList;
import java.time.LocalDate;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** In-memory {@link EnrollmentStore} with ETags and tallies; held to the same contract as the table. */
public final class InMemoryEnrollmentStore implements EnrollmentStore {
    private final Map<EnrollmentKey, Stored<Enrollment>> rows = new ConcurrentHashMap<>();
    private final Map<List<String>, SortedMap<LocalDate, Tally>> tallies = new HashMap<>();
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
        count(Optional.empty(), enrollment);
    }

    @Override
    public synchronized void createAll(List<Enrollment> enrollments) {
        for (Enrollment e : enrollments) {
            if (rows.containsKey(e.key())) {
                throw new AlreadyExists("enrollment " + e.key());
            }
        }
        enrollments.forEach(this::create);
    }

    @Override
    public synchronized void replace(Stored<Enrollment> current, Enrollment next) {
        Stored<Enrollment> stored = rows.get(next.key());
        if (stored == null || !stored.etag().equals(current.etag())) {
            throw new StaleWrite("enrollment " + next.key());
        }
        rows.put(next.key(), stored(next));
        count(Optional.of(stored.value()), next);
    }

    @Override
    public synchronized EnrollmentPage page(String account, String sequenceId, EnrollmentFilter filter,
                                            Optional<String> from, int limit) {
        TreeMap<String, Enrollment> sequence = new TreeMap<>();
        rows.forEach((key, stored) -> {
            if (key.account().equals(account) && key.sequenceId().equals(sequenceId)
                    && from.map(f -> key.subscriberId().compareTo(f) >= 0).orElse(true)) {
                sequence.put(key.subscriberId(), stored.value());
            }
        });
        List<Enrollment> found = new ArrayList<>();
        for (Map.Entry<String, Enrollment> row : sequence.entrySet()) {
            if (found.size() == limit) {
                return new EnrollmentPage(found, Optional.of(row.getKey()));
            }
            if (filter.matches(row.getValue())) {
                found.add(row.getValue());
            }
        }
        return new EnrollmentPage(found, Optional.empty());
    }

    /** Positions are subscriber ids; the end is {@link #END}, above every id's characters. */
    @Override
    public synchronized Optional<String> past(String account, String sequenceId, String from, String subscriberId) {
        if (!from.equals(subscriberId)) {
            return Optional.empty();
        }
        return Optional.of(rows.keySet().stream()
                .filter(key -> key.account().equals(account) && key.sequenceId().equals(sequenceId)
                        && key.subscriberId().compareTo(subscriberId) > 0)
                .map(EnrollmentKey::subscriberId).min(String::compareTo).orElse(END));
    }

    /** Where a page starts after the last subscriber: no id holds '~' ({@code [A-Za-z0-9_.-]}). */
    static final String END = "~";

    @Override
    public synchronized void delete(Stored<Enrollment> current) {
        if (current.value().isActive()) {
            throw new IllegalArgumentException("an active enrollment leaves before it is deleted");
        }
        Stored<Enrollment> stored = rows.get(current.value().key());
        if (stored == null) {
            return;
        }
        if (!stored.etag().equals(current.etag())) {
            throw new StaleWrite("enrollment " + current.value().key());
        }
        rows.remove(current.value().key());
    }

    @Override
    public synchronized SortedMap<LocalDate, Tally> tally(String account, String sequenceId) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(
                tallies.getOrDefault(List.of(account, sequenceId), Collections.emptySortedMap())));
    }

    private void count(Optional<Enrollment> before, Enrollment after) {
        Tally change = Tally.between(before, after);
        if (!change.isEmpty()) {
            tallies.computeIfAbsent(List.of(after.key().account(), after.key().sequenceId()), k -> new TreeMap<>())
                    .merge(Tally.dayOf(after), change, Tally::plus);
        }
    }

    private Stored<Enrollment> stored(Enrollment enrollment) {
        return new Stored<>(enrollment, "W/\"" + etags.incrementAndGet() + "\"");
    }
}
