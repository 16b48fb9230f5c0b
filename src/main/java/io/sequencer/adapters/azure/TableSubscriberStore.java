package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import io.sequencer.adapters.json.AttributesJson;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.Conversation;
import io.sequencer.domain.Subscriber;
import io.sequencer.engine.Stored;
import io.sequencer.engine.SubscriberStore;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** Subscriber profiles in Azure Table storage: partition = account, row = subscriber. */
public final class TableSubscriberStore implements SubscriberStore {
    private final EntityTable table;

    public TableSubscriberStore(TableClient table) {
        this.table = new EntityTable(table);
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
    public void replace(Subscriber subscriber, String etag) {
        table.replace("subscriber " + subscriber.id(), toEntity(subscriber), etag);
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
        TableEntity entity = new TableEntity(TableKeys.of(s.account()), TableKeys.of(s.id()))
                .addProperty("optedOut", s.optedOut())
                .addProperty("createdAt", s.createdAt().toString())
                .addProperty("updatedAt", s.updatedAt().toString());
        s.timezone().ifPresent(z -> entity.addProperty("timezone", z.getId()));
        s.optedOutAt().ifPresent(t -> entity.addProperty("optedOutAt", t.toString()));
        s.conversation().lastInteractionAt().ifPresent(t -> entity.addProperty("lastInteractionAt", t.toString()));
        s.conversation().agentActiveSince().ifPresent(t -> entity.addProperty("agentActiveSince", t.toString()));
        s.conversation().agentEndedAt().ifPresent(t -> entity.addProperty("agentEndedAt", t.toString()));
        ChunkedText.put(entity, "attributes", Json.write(AttributesJson.write(s.attributes())));
        ChunkedText.put(entity, "sequences", Json.write(Json.MAPPER.valueToTree(s.sequences())));
        return entity;
    }

    private static Optional<Instant> instant(TableEntity e, String name) {
        return Optional.ofNullable((String) e.getProperty(name)).map(Instant::parse);
    }

    private static Subscriber fromEntity(String account, String subscriberId, TableEntity e) {
        List<String> sequences = new ArrayList<>();
        Json.read(ChunkedText.get(e, "sequences")).forEach(n -> sequences.add(n.textValue()));
        Instant updatedAt = Instant.parse((String) e.getProperty("updatedAt"));
        return new Subscriber(account, subscriberId,
                AttributesJson.readStored(ChunkedText.get(e, "attributes")),
                Optional.ofNullable((String) e.getProperty("timezone")).map(ZoneId::of),
                sequences,
                optedOutAt(e, updatedAt),
                new Conversation(instant(e, "lastInteractionAt"), instant(e, "agentActiveSince"), instant(e, "agentEndedAt")),
                Instant.parse((String) e.getProperty("createdAt")),
                updatedAt);
    }

    /**
     * When the subscriber opted out. A row written before opt-outs kept their time has only the flag: its last
     * update stands in, the latest the opt-out can have been, so no re-subscription older than it lifts it.
     */
    private static Optional<Instant> optedOutAt(TableEntity e, Instant updatedAt) {
        if (!Boolean.TRUE.equals(e.getProperty("optedOut"))) {
            return Optional.empty();
        }
        return instant(e, "optedOutAt").or(() -> Optional.of(updatedAt));
    }
}
