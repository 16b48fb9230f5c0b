package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableErrorCode;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import io.sequencer.adapters.json.stored.StoredTally;
import io.sequencer.domain.report.Tally;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A sequence's tally, kept in rows beside its enrollments (same partition, RowKeys {@code ~tally|<day>|<writer>},
 * which no subscriber id can take) and written in one atomic batch with each enrollment change.
 *
 * <p>No row is shared by writers, so sends never queue on one entity: each process writes its own rows, one per
 * {@link #SLOTS slot} it is using at once, under the slot's lock, and knows their counts, so adding is an upsert of
 * the new sum with no read. When the process cannot know (a write whose outcome was lost), it reads the row again
 * before the next write. Reading sums the rows, and merges the rows of a day no writer touches any more (changes
 * are counted on the day they are written; {@link #FROZEN_AFTER_DAYS}) into one. A change dated on such a day
 * (only a clock far off could write one) reads the row first and writes it under its ETag, so a merge racing it
 * cannot lose or double a count.
 */
final class TallyRows {
    /** Rows per partition and day one process writes at most: as many enrollment writes as may run at once. */
    static final int SLOTS = 8;
    /** A day this many days back is over for every writer (changes are counted on the day they are written). */
    static final int FROZEN_AFTER_DAYS = 2;
    static final String PREFIX = "~tally|";
    private static final String MERGED = "~";
    private static final int MAX_BATCH = 100;
    private static final int MAX_ROW_RACES = 5;
    private static final int MAX_CACHED_SLOTS = 20_000;

    private final TableClient table;
    private final TableBatch batches;
    private final EntityTable rows;
    private final Clock clock;
    private final String writer = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    TallyRows(TableClient table, Clock clock) {
        this.table = table;
        this.batches = TableBatch.of(table);
        this.rows = new EntityTable(table);
        this.clock = clock;
    }

    /** One row this process writes, with what it knows of it; guarded by its lock. */
    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        final String rowKey;
        final LocalDate day;
        /** A writer's rows are new (its id is), so at first it knows them: they do not exist. */
        boolean known = true;
        Tally counts = Tally.EMPTY;
        String etag; // of a frozen day's row as just read; null: the row does not exist

        Slot(String rowKey, LocalDate day) {
            this.rowKey = rowKey;
            this.day = day;
        }
    }

    /**
     * Writes {@code enrollment} (a create when {@code enrollmentEtag} is null, else a replace under it) together with
     * {@code change} added to this process's tally row for {@code day}, atomically.
     */
    void write(String what, TableEntity enrollment, String enrollmentEtag, LocalDate day, Tally change) {
        writeWith(what, List.of(enrollmentEtag == null
                ? new TableTransactionAction(TableTransactionActionType.CREATE, enrollment)
                : new TableTransactionAction(TableTransactionActionType.UPDATE_REPLACE,
                        EntityTable.withEtag(enrollment, enrollmentEtag), true)), day, change);
    }

    /**
     * Runs {@code subjects} (writes of one partition, at most {@value #MAX_BATCH} minus one) together with
     * {@code change} added to this process's tally row of that partition for {@code day}, atomically.
     *
     * @throws AlreadyExists when a subject's create found its entity there
     * @throws StaleWrite when a subject's conditional write found its entity changed or gone
     */
    void writeWith(String what, List<TableTransactionAction> subjects, LocalDate day, Tally change) {
        if (subjects.isEmpty() || subjects.size() >= MAX_BATCH) {
            throw new IllegalArgumentException("1 to " + (MAX_BATCH - 1) + " writes go with a tally row");
        }
        String partition = subjects.get(0).getEntity().getPartitionKey();
        boolean frozen = isFrozen(day);
        Slot slot = acquire(partition, day);
        try {
            for (int race = 0; race < MAX_ROW_RACES; race++) {
                if (frozen || !slot.known) {
                    load(partition, slot);
                }
                Tally next = slot.counts.plus(change);
                TableEntity row = rowEntity(partition, slot.rowKey, day, next);
                List<TableTransactionAction> batch = new ArrayList<>(subjects);
                batch.add(!frozen ? new TableTransactionAction(TableTransactionActionType.UPSERT_REPLACE, row)
                                : slot.etag == null ? new TableTransactionAction(TableTransactionActionType.CREATE, row)
                                : new TableTransactionAction(TableTransactionActionType.UPDATE_REPLACE,
                                        EntityTable.withEtag(row, slot.etag), true));
                try {
                    batches.submit(batch.stream().map(TableBatch.Write::of).toList());
                    slot.counts = next;
                    return;
                } catch (TableBatch.Refused failed) {
                    Integer index = failed.index;
                    boolean rowFailed = frozen && (index == null ? rowChanged(partition, slot) : index == subjects.size());
                    if (!rowFailed) {
                        // A retried request may have committed before this answer: know the row again before the next
                        // write, rather than overwrite a count that did land.
                        slot.known = false;
                        throw enrollmentFailure(what, failed);
                    }
                } catch (RuntimeException unknownOutcome) {
                    slot.known = false;
                    throw unknownOutcome;
                }
            }
            throw new IllegalStateException("tally row " + slot.rowKey + " keeps changing under " + what);
        } finally {
            slot.lock.unlock();
        }
    }

    private static RuntimeException enrollmentFailure(String what, TableBatch.Refused failed) {
        TableErrorCode code = failed.code;
        if (TableErrorCode.ENTITY_ALREADY_EXISTS.equals(code)) {
            return new AlreadyExists(what);
        }
        if (TableErrorCode.UPDATE_CONDITION_NOT_SATISFIED.equals(code) || TableErrorCode.RESOURCE_NOT_FOUND.equals(code)
                || TableErrorCode.ENTITY_NOT_FOUND.equals(code)) {
            return new StaleWrite(what);
        }
        return failed;
    }

    private boolean isFrozen(LocalDate day) {
        return day.isBefore(LocalDate.now(clock).minusDays(FROZEN_AFTER_DAYS));
    }

    /** The sequence's counts per day, from every writer's rows; days no writer can touch any more are merged. */
    SortedMap<LocalDate, Tally> read(String partition) {
        SortedMap<LocalDate, List<TableEntity>> rowsByDay = new TreeMap<>();
        ListEntitiesOptions range = new ListEntitiesOptions().setFilter("PartitionKey eq " + TableKeys.literal(partition)
                + " and RowKey ge " + TableKeys.literal(PREFIX) + " and RowKey lt " + TableKeys.literal("~tally}"));
        for (TableEntity row : table.listEntities(range, null, Context.NONE)) {
            rowsByDay.computeIfAbsent(StoredTally.day(partition + "/" + row.getRowKey(), row.getProperties()),
                    d -> new ArrayList<>()).add(row);
        }
        SortedMap<LocalDate, Tally> out = new TreeMap<>();
        rowsByDay.forEach((day, rows) -> {
            Tally sum = Tally.EMPTY;
            for (TableEntity row : rows) {
                sum = sum.plus(countsOf(row));
            }
            out.put(day, sum);
            if (isFrozen(day) && rows.size() > 1) {
                merge(partition, day, rows);
            }
        });
        return out;
    }

    /**
     * Replaces a frozen day's rows by one, in batches that delete some rows and rewrite the merged row under
     * ETags: a lost race or a crash leaves every count in exactly one row, and the next read tries again.
     */
    private void merge(String partition, LocalDate day, List<TableEntity> rows) {
        Optional<TableEntity> merged = rows.stream().filter(r -> r.getRowKey().equals(rowKey(day, MERGED))).findFirst();
        Tally sum = merged.map(TallyRows::countsOf).orElse(Tally.EMPTY);
        List<TableTransactionAction> batch = new ArrayList<>();
        for (TableEntity row : rows) {
            if (batch.size() < MAX_BATCH - 1 && merged.map(m -> m != row).orElse(true)) {
                sum = sum.plus(countsOf(row));
                batch.add(new TableTransactionAction(TableTransactionActionType.DELETE, row, true));
            }
        }
        TableEntity mergedRow = rowEntity(partition, rowKey(day, MERGED), day, sum);
        batch.add(merged.isEmpty() ? new TableTransactionAction(TableTransactionActionType.CREATE, mergedRow)
                : new TableTransactionAction(TableTransactionActionType.UPDATE_REPLACE,
                        EntityTable.withEtag(mergedRow, merged.get().getETag()), true));
        try {
            table.submitTransactionWithResponse(batch, null, Context.NONE);
        } catch (TableServiceException lostRace) {
            // Another reader merged first, or a row changed: nothing was lost, the next read merges what is left.
        }
    }

    private Slot acquire(String partition, LocalDate day) {
        if (slots.size() > MAX_CACHED_SLOTS) {
            // Only frozen days' slots go: those are read again before every write, so two copies do no harm.
            slots.values().removeIf(s -> isFrozen(s.day));
        }
        for (int i = 0; i < SLOTS; i++) {
            Slot slot = slot(partition, day, i);
            if (slot.lock.tryLock()) {
                return slot;
            }
        }
        Slot any = slot(partition, day, (int) (Thread.currentThread().getId() % SLOTS));
        any.lock.lock();
        return any;
    }

    private Slot slot(String partition, LocalDate day, int index) {
        String rowKey = rowKey(day, writer + "-" + index);
        return slots.computeIfAbsent(partition + "\n" + rowKey, k -> new Slot(rowKey, day));
    }

    private void load(String partition, Slot slot) {
        rows.find(partition, slot.rowKey).ifPresentOrElse(row -> {
            slot.counts = countsOf(row);
            slot.etag = row.getETag();
        }, () -> {
            slot.counts = Tally.EMPTY;
            slot.etag = null;
        });
        slot.known = true;
    }

    /** Whether the row is not as this process believed (so a failed batch failed on it, not on the enrollment). */
    private boolean rowChanged(String partition, Slot slot) {
        String believed = slot.etag;
        load(partition, slot);
        return believed == null ? slot.etag != null : !believed.equals(slot.etag);
    }

    private static TableTransactionAction rowAction(String partition, Slot slot, Tally counts, LocalDate day) {
        TableEntity row = rowEntity(partition, slot.rowKey, day, counts);
        return slot.etag == null ? new TableTransactionAction(TableTransactionActionType.CREATE, row)
                : new TableTransactionAction(TableTransactionActionType.UPDATE_REPLACE,
                        EntityTable.withEtag(row, slot.etag), true);
    }

    private static String rowKey(LocalDate day, String writer) {
        return PREFIX + day + "|" + writer;
    }

    private static TableEntity rowEntity(String partition, String rowKey, LocalDate day, Tally counts) {
        TableEntity row = new TableEntity(partition, rowKey);
        StoredTally.write(day, counts).forEach(row::addProperty);
        return row;
    }

    private static Tally countsOf(TableEntity row) {
        return StoredTally.counts(row.getPartitionKey() + "/" + row.getRowKey(), row.getProperties());
    }
}
