package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import io.sequencer.adapters.json.stored.StoredChannelForms;
import io.sequencer.adapters.json.stored.StoredSequence;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.engine.Stored;
import io.sequencer.engine.sequence.SequenceStore;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Sequences in Azure Table storage: partition = account, row = sequence id. */
public final class TableSequenceStore implements SequenceStore {
    private final EntityTable table;
    private final StoredChannelForms channels;

    /** @param channels the stored forms of the channel types, for each sequence's channel */
    public TableSequenceStore(TableClient table, StoredChannelForms channels) {
        this.table = new EntityTable(table);
        this.channels = channels;
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

    private TableEntity toEntity(Sequence sequence) {
        TableEntity entity = new TableEntity(TableKeys.of(sequence.account()), TableKeys.of(sequence.id()));
        StoredSequence.write(sequence, channels).forEach(entity::addProperty);
        return entity;
    }

    private Sequence fromEntity(String account, TableEntity e) {
        return StoredSequence.read(account, e.getRowKey(), e.getProperties(), channels);
    }
}
