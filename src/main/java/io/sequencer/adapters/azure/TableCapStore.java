package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import io.sequencer.adapters.json.stored.StoredCaps;
import io.sequencer.domain.limit.FrequencyLimits;
import io.sequencer.domain.limit.SendLog;
import io.sequencer.engine.Stored;
import io.sequencer.engine.limit.CapStore;
import java.util.Optional;

/**
 * Frequency caps in Azure Table storage: partition = account; the caps in row {@code limits}, each subscriber's
 * send log in row {@code log-<subscriber>} (ids are encoded, so no subscriber's row can be {@code limits}).
 */
public final class TableCapStore implements CapStore {
    private static final String LIMITS = "limits";
    private static final String LOG = "log-";
    private final EntityTable table;

    public TableCapStore(TableClient table) {
        this.table = new EntityTable(table);
    }

    @Override
    public Optional<FrequencyLimits> limits(String account) {
        return table.find(TableKeys.of(account), LIMITS).map(e -> StoredCaps.readLimits(account, e.getProperties()));
    }

    @Override
    public void putLimits(FrequencyLimits limits) {
        TableEntity entity = new TableEntity(TableKeys.of(limits.account()), LIMITS);
        StoredCaps.writeLimits(limits).forEach(entity::addProperty);
        table.client().upsertEntityWithResponse(entity, TableEntityUpdateMode.REPLACE, null, Context.NONE);
    }

    @Override
    public void deleteLimits(String account) {
        table.deleteIfPresent(TableKeys.of(account), LIMITS);
    }

    @Override
    public Optional<Stored<SendLog>> log(String account, String subscriberId) {
        return table.find(TableKeys.of(account), logRow(subscriberId)).map(e -> new Stored<>(
                StoredCaps.readLog("send log of " + account + "/" + subscriberId, e.getProperties()), e.getETag()));
    }

    @Override
    public void createLog(String account, String subscriberId, SendLog log) {
        table.create("send log of " + subscriberId, logEntity(account, subscriberId, log));
    }

    @Override
    public void replaceLog(String account, String subscriberId, SendLog log, String etag) {
        table.replace("send log of " + subscriberId, logEntity(account, subscriberId, log), etag);
    }

    @Override
    public void deleteLog(String account, String subscriberId) {
        table.deleteIfPresent(TableKeys.of(account), logRow(subscriberId));
    }

    private static String logRow(String subscriberId) {
        return LOG + TableKeys.of(subscriberId);
    }

    private static TableEntity logEntity(String account, String subscriberId, SendLog log) {
        TableEntity entity = new TableEntity(TableKeys.of(account), logRow(subscriberId));
        StoredCaps.writeLog(log).forEach(entity::addProperty);
        return entity;
    }
}
