package io.sequencer.adapters.azure;

import com.azure.core.http.rest.PagedIterable;
import com.azure.core.http.rest.PagedResponse;
import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import io.sequencer.adapters.json.stored.StoredEnrollment;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.report.Tally;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.enrollment.EnrollmentFilter;
import io.sequencer.engine.enrollment.EnrollmentPage;
import io.sequencer.engine.enrollment.EnrollmentStore;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Enrollments in Azure Table storage: partition = account|sequence, row = subscriber. One point read and
 * one conditional write per step, whatever the population; a write that changes the sequence's counts is one
 * batch with the writer's tally row in the same partition ({@link TallyRows}), so it is still one request.
 *
 * <p>A sequence's enrollments are one partition, so a listing is a range read of it: subscriber row keys sort
 * below the tally rows ({@code ~tally|...}), and the filters go to the service, which answers in pages of at most
 * the rows asked for and says with its continuation (its encoding of the next partition and row key) where the
 * range goes on; that continuation is the page's {@code next}.
 */
public final class TableEnrollmentStore implements EnrollmentStore {
    /** Service pages one listing reads at most before it answers with what it has and where to go on. */
    static final int MAX_REQUESTS_PER_PAGE = 5;
    /** Above every subscriber row key ({@code [A-Za-z0-9_.-]}), below the tally rows. */
    private static final String SUBSCRIBERS_END = "~";

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

    /** One table batch: the creates and this process's tally row, with what they add to the counts. */
    @Override
    public void createAll(List<Enrollment> enrollments) {
        if (enrollments.isEmpty()) {
            return;
        }
        if (enrollments.size() > MAX_CREATE_ALL) {
            throw new IllegalArgumentException("at most " + MAX_CREATE_ALL + " enrollments at once, not " + enrollments.size());
        }
        Enrollment first = enrollments.get(0);
        List<TableTransactionAction> creates = new ArrayList<>(enrollments.size());
        Tally change = Tally.EMPTY;
        for (Enrollment e : enrollments) {
            if (!partition(e.key()).equals(partition(first.key()))) {
                throw new IllegalArgumentException("enrollments of one sequence only: " + e.key() + ", " + first.key());
            }
            creates.add(new TableTransactionAction(TableTransactionActionType.CREATE, toEntity(e)));
            change = change.plus(Tally.between(Optional.empty(), e));
        }
        tallies.writeWith(enrollments.size() + " enrollments in " + partition(first.key()), creates, Tally.dayOf(first), change);
    }

    @Override
    public void replace(Stored<Enrollment> current, Enrollment next) {
        write(Optional.of(current), next);
    }

    @Override
    public EnrollmentPage page(String account, String sequenceId, EnrollmentFilter filter, Optional<String> from,
                               int limit) {
        String partition = TableKeys.of(account, sequenceId);
        List<Enrollment> found = new ArrayList<>();
        Optional<String> next = from;
        for (int request = 0; request < MAX_REQUESTS_PER_PAGE && found.size() < limit; request++) {
            ListEntitiesOptions options = new ListEntitiesOptions().setTop(Math.min(1000, limit - found.size()))
                    .setFilter(filter(partition, filter));
            // One request: the first page of the range, or the page the service's continuation names. The filter
            // names the partition, so whatever a continuation says, no other partition's rows come back.
            PagedIterable<TableEntity> range = table.client().listEntities(options, null, Context.NONE);
            PagedResponse<TableEntity> page = (next.isEmpty() ? range.iterableByPage()
                    : range.iterableByPage(next.get())).iterator().next();
            for (TableEntity e : page.getValue()) {
                found.add(fromEntity(new EnrollmentKey(account, sequenceId, e.getRowKey()), e));
            }
            next = Optional.ofNullable(page.getContinuationToken());
            if (next.isEmpty()) {
                break;
            }
        }
        return new EnrollmentPage(found, next);
    }

    /**
     * The continuation names a row by its partition and row keys ({@link TableContinuation}); the partition is the
     * account's sequence, never a subscriber, but a continuation may name the first row of the <em>next</em>
     * partition (another sequence's enrollment of the same subscriber, also gone after an erasure), from which this
     * sequence's range has nothing left: both are answered with the sequence's own next row, or its end.
     */
    @Override
    public Optional<String> past(String account, String sequenceId, String from, String subscriberId) {
        Optional<TableContinuation> at = TableContinuation.parse(from);
        if (at.isEmpty() || !at.get().rowKey().equals(subscriberId)) {
            return Optional.empty();
        }
        String partition = TableKeys.of(account, sequenceId);
        if (!at.get().partitionKey().equals(partition)) {
            return Optional.of(at.get().at(partition, SUBSCRIBERS_END));
        }
        ListEntitiesOptions options = new ListEntitiesOptions().setTop(1).setSelect(List.of("RowKey"))
                .setFilter("PartitionKey eq " + TableKeys.literal(partition) + " and RowKey gt "
                        + TableKeys.literal(TableKeys.of(subscriberId)) + " and RowKey lt "
                        + TableKeys.literal(SUBSCRIBERS_END));
        PagedResponse<TableEntity> first = table.client().listEntities(options, null, Context.NONE)
                .iterableByPage().iterator().next();
        String next = first.getValue().stream().findFirst().map(TableEntity::getRowKey).orElse(SUBSCRIBERS_END);
        return Optional.of(at.get().at(partition, next));
    }

    private static String filter(String partition, EnrollmentFilter filter) {
        StringBuilder query = new StringBuilder("PartitionKey eq ").append(TableKeys.literal(partition))
                .append(" and RowKey lt ").append(TableKeys.literal(SUBSCRIBERS_END));
        if (!filter.statuses().isEmpty()) {
            query.append(" and (").append(String.join(" or ", filter.statuses().stream().sorted()
                    .map(status -> "status eq " + TableKeys.literal(status.wireName())).toList())).append(')');
        }
        filter.stepId().ifPresent(step -> query.append(" and nextStepId eq ").append(TableKeys.literal(step)));
        return query.toString();
    }

    @Override
    public void delete(Stored<Enrollment> current) {
        if (current.value().isActive()) {
            throw new IllegalArgumentException("an active enrollment leaves before it is deleted");
        }
        EnrollmentKey key = current.value().key();
        if (!table.deleteIfUnchanged(partition(key), TableKeys.of(key.subscriberId()), current.etag())) {
            throw new StaleWrite("enrollment " + key);
        }
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
