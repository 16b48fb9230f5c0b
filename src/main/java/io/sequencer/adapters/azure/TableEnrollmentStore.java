package io.sequencer.adapters.azure;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import io.sequencer.adapters.json.stored.StoredEnrollment;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.report.Tally;
import io.sequencer.engine.Stored;
import io.sequencer.engine.enrollment.EnrollmentStore;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Enrollments in Azure Table storage: partition = account|sequence, row = subscriber. One point read and
 * one conditional write per step, whatever the population; a write that changes the sequence's counts is one
 * batch with the writer's tally row in the same partition ({@link TallyRows}), so it is still one request.
 */
public final class TableEnrollmentStore implements EnrollmentStore {
    private final EntityTable table;
    private final TallyRows tallies;

    public TableEnrollmentStore(TableClient table) {
        this(table, Clock.systemUTC());
    }

    public TableEnrollmentStore(TableClient table, Clock clock) {
        this.table = new EntityTable(table);
        this.tallies = new TallyRows(table, clock);
    }

    @Override
    public Optional<Stored<Enrollment>> find(EnrollmentKey key) {
        return table.find(partition(key), TableKeys.of(key.subscriberId()))
                .map(e -> new Stored<>(fromEntity(key, e), e.getETag()));
    }

    @Override
    public void create(Enrollment enrollment) {
        write(Optional.empty(), enrollment);
    }

    @Override
    public void replace(Stored<Enrollment> current, Enrollment next) {
        write(Optional.of(current), next);
    }

    @Override
    public SortedMap<LocalDate, Tally> tally(String account, String sequenceId) {
        return tallies.read(TableKeys.of(account, sequenceId));
    }

    private void write(Optional<Stored<Enrollment>> current, Enrollment next) {
        String what = "enrollment " + next.key();
        Tally change = Tally.between(current.map(Stored::value), next);
        if (!change.isEmpty()) {
            tallies.write(what, toEntity(next), current.map(Stored::etag).orElse(null), Tally.dayOf(next), change);
        } else if (current.isEmpty()) {
            table.create(what, toEntity(next));
        } else {
            table.replace(what, toEntity(next), current.get().etag());
        }
    }

    private static String partition(EnrollmentKey key) {
        return TableKeys.of(key.account(), key.sequenceId());
    }

    private static TableEntity toEntity(Enrollment e) {
        TableEntity entity = new TableEntity(partition(e.key()), TableKeys.of(e.key().subscriberId()));
        StoredEnrollment.write(e).forEach(entity::addProperty);
        return entity;
    }

    private static Enrollment fromEntity(EnrollmentKey key, TableEntity e) {
        return StoredEnrollment.read(key, e.getProperties());
    }
}
