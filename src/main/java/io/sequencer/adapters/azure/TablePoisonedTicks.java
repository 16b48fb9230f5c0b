package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import io.sequencer.adapters.json.stored.StoredPoisonedTick;
import io.sequencer.domain.Sha256;
import io.sequencer.domain.report.PoisonSummary;
import io.sequencer.domain.timer.PoisonedTick;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.poison.PoisonedTicks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Poisoned ticks in the enrollments table, in their sequence's partition (account|sequence), under row keys
 * {@code ~poison|<subscriber>|<epoch>|<cursor>|<token hash>}. Ids are {@code [A-Za-z0-9_.-]}, so these rows
 * never collide with a subscriber's row and sort after all of them: a sequence's entries are one range of its
 * partition, read by one query, whatever the number of enrollments beside them.
 */
public final class TablePoisonedTicks implements PoisonedTicks {
    static final String ROW_PREFIX = "~poison|";
    /** The first row key after every {@link #ROW_PREFIX} row: {@code '}'} follows {@code '|'}. */
    private static final String ROW_END = "~poison}";
    private static final int MAX_RACES = 5;

    private final EntityTable table;

    public TablePoisonedTicks(TableClient enrollmentsTable) {
        this.table = new EntityTable(enrollmentsTable);
    }

    @Override
    public PoisonSummary summary(String account, String sequenceId) {
        ListEntitiesOptions options = new ListEntitiesOptions().setFilter(range(account, sequenceId, ROW_PREFIX, false))
                .setSelect(List.of("error", "at"));
        long count = 0;
        String lastError = null;
        Instant lastAt = null;
        for (TableEntity e : table.client().listEntities(options, null, Context.NONE)) {
            count++;
            Instant at = Instant.parse((String) e.getProperty("at"));
            if (lastAt == null || at.isAfter(lastAt)) {
                lastAt = at;
                lastError = (String) e.getProperty("error");
            }
        }
        return count == 0 ? PoisonSummary.NONE
                : new PoisonSummary(count, Optional.of(lastError), Optional.of(lastAt));
    }

    @Override
    public void record(Tick tick, String error, Instant at) {
        String partition = partition(tick.key().account(), tick.key().sequenceId());
        String row = row(tick);
        for (int race = 0; race < MAX_RACES; race++) {
            Optional<TableEntity> current = table.find(partition, row);
            try {
                if (current.isEmpty()) {
                    table.create(what(tick), toEntity(partition, row, PoisonedTick.first(tick, error, at)));
                } else {
                    PoisonedTick again = fromEntity(current.get()).poisonedAgain(tick, error, at);
                    table.replace(what(tick), toEntity(partition, row, again), current.get().getETag());
                }
                return;
            } catch (AlreadyExists | StaleWrite lostRace) {
                // another instance recorded the same timer meanwhile: read its entry and count this one on top
            }
        }
        throw new Conflict(what(tick) + " kept changing");
    }

    @Override
    public void recordIfAbsent(Tick tick, String reason, Instant at) {
        String partition = partition(tick.key().account(), tick.key().sequenceId());
        try {
            table.create(what(tick), toEntity(partition, row(tick), PoisonedTick.first(tick, reason, at)));
        } catch (AlreadyExists known) {
            // recorded already, with the error that caused it
        }
    }

    @Override
    public Page list(String account, String sequenceId, Optional<String> after, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1");
        }
        String from = after.orElse(ROW_PREFIX);
        if (!from.startsWith(ROW_PREFIX)) {
            throw new IllegalArgumentException("not a poisoned tick's continuation: " + from);
        }
        ListEntitiesOptions options = new ListEntitiesOptions()
                .setFilter(range(account, sequenceId, from, after.isPresent()))
                .setTop(Math.min(max + 1, 1_000));
        List<Stored<PoisonedTick>> entries = new ArrayList<>();
        Iterator<TableEntity> rows = table.client().listEntities(options, null, Context.NONE).iterator();
        while (rows.hasNext() && entries.size() < max) {
            TableEntity e = rows.next();
            entries.add(new Stored<>(fromEntity(e), e.getETag()));
        }
        // One row more than the page, if there is one, says that another page follows.
        boolean more = rows.hasNext();
        return new Page(entries, more ? Optional.of(row(entries.get(entries.size() - 1).value().tick())) : Optional.empty());
    }

    @Override
    public void remove(Stored<PoisonedTick> entry) {
        Tick tick = entry.value().tick();
        table.deleteIfUnchanged(partition(tick.key().account(), tick.key().sequenceId()), row(tick), entry.etag());
    }

    /** The sequence's poisoned-tick rows from {@code from} on (after it, when {@code exclusive}). */
    private static String range(String account, String sequenceId, String from, boolean exclusive) {
        return "PartitionKey eq " + TableKeys.literal(partition(account, sequenceId))
                + " and RowKey " + (exclusive ? "gt " : "ge ") + TableKeys.literal(from)
                + " and RowKey lt " + TableKeys.literal(ROW_END);
    }

    /** The partition {@link TableEnrollmentStore} keeps the sequence's enrollments in. */
    private static String partition(String account, String sequenceId) {
        return TableKeys.of(account, sequenceId);
    }

    /**
     * The timer's row. The token is hashed: it is not a validated id (a message could carry any text there), and
     * a hash is always safe in a key and short.
     */
    static String row(Tick tick) {
        return ROW_PREFIX + TableKeys.of(tick.key().subscriberId(), Long.toString(tick.epoch()),
                Integer.toString(tick.cursor()), tokenHash(tick.token()));
    }

    private static String tokenHash(String token) {
        return Sha256.hex(token, 12);
    }

    private static String what(Tick tick) {
        return "poisoned tick of " + tick.key() + " epoch " + tick.epoch() + " cursor " + tick.cursor();
    }

    private static TableEntity toEntity(String partition, String row, PoisonedTick p) {
        TableEntity entity = new TableEntity(partition, row);
        StoredPoisonedTick.write(p).forEach(entity::addProperty);
        return entity;
    }

    private static PoisonedTick fromEntity(TableEntity e) {
        return StoredPoisonedTick.read(e.getPartitionKey() + "/" + e.getRowKey(), e.getProperties());
    }
}
