package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import io.sequencer.adapters.json.Json;
import io.sequencer.adapters.json.SequenceJson;
import io.sequencer.domain.Sequence;
import io.sequencer.domain.SequenceRules;
import io.sequencer.domain.SequenceStatus;
import io.sequencer.engine.SequenceStore;
import io.sequencer.engine.Stored;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Sequences in Azure Table storage: partition = account, row = sequence id. */
public final class TableSequenceStore implements SequenceStore {
    private final EntityTable table;

    public TableSequenceStore(TableClient table) {
        this.table = new EntityTable(table);
    }

    @Override
    public Optional<Stored<Sequence>> find(String account, String sequenceId) {
        return table.find(TableKeys.of(account), TableKeys.of(sequenceId))
                .map(e -> new Stored<>(fromEntity(account, e), e.getETag()));
    }

    @Override
    public void create(Sequence sequence) {
        table.create("sequence " + sequence.id(), toEntity(sequence));
    }

    @Override
    public void replace(Sequence sequence, String etag) {
        table.replace("sequence " + sequence.id(), toEntity(sequence), etag);
    }

    @Override
    public List<Sequence> list(String account) {
        ListEntitiesOptions options = new ListEntitiesOptions()
                .setFilter("PartitionKey eq " + TableKeys.literal(TableKeys.of(account)));
        return table.client().listEntities(options, null, Context.NONE).stream()
                .map(e -> fromEntity(account, e))
                .sorted(Comparator.comparing(Sequence::id))
                .toList();
    }

    private static TableEntity toEntity(Sequence sequence) {
        TableEntity entity = new TableEntity(TableKeys.of(sequence.account()), TableKeys.of(sequence.id()))
                .addProperty("sequenceId", sequence.id())
                .addProperty("name", sequence.name())
                .addProperty("version", sequence.version())
                .addProperty("status", sequence.status().wireName())
                .addProperty("channel", Json.write(SequenceJson.writeChannel(sequence.channel())))
                .addProperty("createdAt", sequence.createdAt().toString())
                .addProperty("updatedAt", sequence.updatedAt().toString());
        ChunkedText.put(entity, "steps", Json.write(SequenceJson.writeSteps(sequence.steps())));
        sequence.timezone().ifPresent(z -> entity.addProperty("timezone", z.getId()));
        sequence.sendWindow().ifPresent(w -> entity.addProperty("sendWindow", Json.write(SequenceJson.writeWindow(w))));
        entity.addProperty("rules", SequenceJson.writeRules(sequence.rules()));
        return entity;
    }

    private static Sequence fromEntity(String account, TableEntity e) {
        return new Sequence(account,
                (String) e.getProperty("sequenceId"),
                (String) e.getProperty("name"),
                SequenceJson.readStoredSteps(ChunkedText.get(e, "steps")),
                SequenceJson.readStoredChannel((String) e.getProperty("channel")),
                Optional.ofNullable((String) e.getProperty("timezone")).map(ZoneId::of),
                Optional.ofNullable((String) e.getProperty("sendWindow")).flatMap(SequenceJson::readStoredWindow),
                Optional.ofNullable((String) e.getProperty("rules")).map(SequenceJson::readStoredRules)
                        .orElse(SequenceRules.NONE),
                SequenceStatus.fromWireName((String) e.getProperty("status")),
                ((Number) e.getProperty("version")).longValue(),
                Instant.parse((String) e.getProperty("createdAt")),
                Instant.parse((String) e.getProperty("updatedAt")));
    }
}
