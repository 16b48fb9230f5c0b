package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableErrorCode;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import io.sequencer.adapters.json.stored.StoredSubscriber;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.subscriber.SubscriberStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** Subscriber profiles in Azure Table storage: partition = account, row = subscriber. */
public final class TableSubscriberStore implements SubscriberStore {
    private final EntityTable table;
    private final TableBatch batches;

    public TableSubscriberStore(TableClient table) {
        this.table = new EntityTable(table);
        this.batches = TableBatch.of(table);
    }

    @Override
    public Optional<Stored<Subscriber>> find(String account, String subscriberId) {
        return table.find(TableKeys.of(account), TableKeys.of(subscriberId))
                .map(e -> new Stored<>(fromEntity(account, subscriberId, e), e.getETag()));
    }

    @Override
    public void create(Subscriber subscriber) {
        table.create("subscriber " + subscriber.id(), toEntity(subscriber));
    }

    @Override
    public boolean createAll(String account, List<Subscriber> subscribers) {
        List<TableTransactionAction> batch = new ArrayList<>(subscribers.size());
        for (Subscriber subscriber : subscribers) {
            if (!subscriber.account().equals(account)) {
                throw new IllegalArgumentException("subscriber " + subscriber.id() + " is not of account " + account);
            }
            batch.add(new TableTransactionAction(TableTransactionActionType.CREATE, toEntity(subscriber)));
        }
        if (batch.isEmpty()) {
            return true;
        }
        try {
            batches.submit(batch.stream().map(TableBatch.Write::of).toList());
            return true;
        } catch (TableBatch.Refused e) {
            if (TableErrorCode.ENTITY_ALREADY_EXISTS.equals(e.code)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void replace(Subscriber subscriber, String etag) {
        table.replace("subscriber " + subscriber.id(), toEntity(subscriber), etag);
    }

    @Override
    public void delete(String account, String subscriberId, String etag) {
        if (!table.deleteIfUnchanged(TableKeys.of(account), TableKeys.of(subscriberId), etag)) {
            throw new StaleWrite("subscriber " + subscriberId);
        }
    }

    @Override
    public List<Subscriber> page(String account, Optional<String> afterId, int max) {
        String partition = TableKeys.of(account);
        String filter = "PartitionKey eq " + TableKeys.literal(partition)
                + afterId.map(id -> " and RowKey gt " + TableKeys.literal(TableKeys.of(id))).orElse("");
        List<Subscriber> page = new ArrayList<>();
        ListEntitiesOptions options = new ListEntitiesOptions().setFilter(filter).setTop(Math.min(max, 1000));
        // Asks for the next page of results only while short: fewer than max means there are no more.
        Iterator<TableEntity> rows = table.client().listEntities(options, null, Context.NONE).iterator();
        while (page.size() < max && rows.hasNext()) {
            TableEntity e = rows.next();
            page.add(fromEntity(account, e.getRowKey(), e));
        }
        return page;
    }

    private static TableEntity toEntity(Subscriber s) {
        TableEntity entity = new TableEntity(TableKeys.of(s.account()), TableKeys.of(s.id()));
        StoredSubscriber.write(s).forEach(entity::addProperty);
        return entity;
    }

    private static Subscriber fromEntity(String account, String subscriberId, TableEntity e) {
        return StoredSubscriber.read(account, subscriberId, e.getProperties());
    }
}
