package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import io.sequencer.adapters.json.stored.StoredEvent;
import io.sequencer.domain.subscriber.TimelineEntry;
import io.sequencer.domain.subscriber.TimelinePosition;
import io.sequencer.engine.event.EventLog;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reported events in Azure Table storage: partition = account|subscriber, row = time counted down | tie-break.
 * A partition query returns a subscriber's events newest first, and the page after a position is the row-key
 * range above that position's key. An event at one time has one row key, so appends are upserts: a repeat
 * rewrites its row and never fails the others in its batch.
 */
public final class TableEventLog implements EventLog {
    /** Entities one batch may hold (all of one partition); a batch is one request. */
    static final int BATCH = 100;

    private final TableClient table;

    public TableEventLog(TableClient table) {
        this.table = table;
    }

    @Override
    public void append(String account, String subscriberId, List<TimelineEntry.Reported> events) {
        String partition = TableKeys.of(account, subscriberId);
        // A batch may not name a row twice; one event twice in a request is one row anyway.
        Map<String, TableEntity> rows = new LinkedHashMap<>();
        for (TimelineEntry.Reported reported : events) {
            if (!reported.event().subscriberId().equals(subscriberId)) {
                throw new IllegalArgumentException("an event of " + reported.event().subscriberId() + " is not " + subscriberId + "'s");
            }
            TableEntity entity = toEntity(partition, reported);
            rows.put(entity.getRowKey(), entity);
        }
        List<TableEntity> entities = new ArrayList<>(rows.values());
        if (entities.size() == 1) {
            table.upsertEntityWithResponse(entities.get(0), TableEntityUpdateMode.REPLACE, null, Context.NONE);
            return;
        }
        for (int from = 0; from < entities.size(); from += BATCH) {
            table.submitTransaction(entities.subList(from, Math.min(entities.size(), from + BATCH)).stream()
                    .map(e -> new TableTransactionAction(TableTransactionActionType.UPSERT_REPLACE, e)).toList());
        }
    }

    @Override
    public int erase(String account, String subscriberId) {
        String partition = TableKeys.of(account, subscriberId);
        ListEntitiesOptions keys = new ListEntitiesOptions().setSelect(List.of("PartitionKey", "RowKey"))
                .setFilter("PartitionKey eq " + TableKeys.literal(partition));
        List<TableTransactionAction> batch = new ArrayList<>(BATCH);
        int deleted = 0;
        for (TableEntity row : table.listEntities(keys, null, Context.NONE)) {
            // Unconditional: an upsert of a retried report racing the erasure is deleted by the erasure's retry.
            batch.add(new TableTransactionAction(TableTransactionActionType.DELETE,
                    new TableEntity(partition, row.getRowKey()), false));
            if (batch.size() == BATCH) {
                deleted += delete(batch);
            }
        }
        return batch.isEmpty() ? deleted : deleted + delete(batch);
    }

    private int delete(List<TableTransactionAction> batch) {
        int size = batch.size();
        table.submitTransaction(List.copyOf(batch));
        batch.clear();
        return size;
    }

    @Override
    public List<TimelineEntry.Reported> read(String account, String subscriberId, Optional<TimelinePosition> after,
                                             int limit) {
        String filter = "PartitionKey eq " + TableKeys.literal(TableKeys.of(account, subscriberId))
                + after.map(p -> " and RowKey gt " + TableKeys.literal(rowKey(p))).orElse("");
        ListEntitiesOptions options = new ListEntitiesOptions().setFilter(filter).setTop(limit);
        Iterator<TableEntity> rows = table.listEntities(options, null, Context.NONE).iterator();
        List<TimelineEntry.Reported> events = new ArrayList<>(limit);
        // The service may answer in parts; the next part is asked for only while rows are still wanted.
        while (events.size() < limit && rows.hasNext()) {
            events.add(fromEntity(subscriberId, rows.next()));
        }
        return events;
    }

    /**
     * The row key of an entry at {@code position}: text order is {@link TimelinePosition} order, as tie-breaks
     * are fixed-alphabet ASCII after a fixed-width time. Stored rows carry an event's tie-break; a page bound may
     * carry an enrollment entry's, which is never stored, only compared.
     */
    static String rowKey(TimelinePosition position) {
        return TableKeys.newestFirst(position.at()) + "|" + position.tieBreak();
    }

    private static TableEntity toEntity(String partition, TimelineEntry.Reported reported) {
        TableEntity entity = new TableEntity(partition, rowKey(reported.position()));
        StoredEvent.write(reported).forEach(entity::addProperty);
        return entity;
    }

    private static TimelineEntry.Reported fromEntity(String subscriberId, TableEntity e) {
        return StoredEvent.read(subscriberId, e.getRowKey(), e.getProperties());
    }
}
