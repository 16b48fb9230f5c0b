package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import io.sequencer.adapters.json.stored.StoredAccountKey;
import io.sequencer.domain.account.AccountKey;
import io.sequencer.engine.account.AccountKeyStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Account API keys in Azure Table storage: partition = the key's prefix (every request with a key reads it by a
 * point read), one row holding the account and the key's SHA-256. Listing an account's keys scans the table with a
 * filter: it serves an admin, rarely, over a table of a few rows per account.
 */
public final class TableAccountKeyStore implements AccountKeyStore {
    private static final String ROW = "key";

    private final EntityTable table;

    public TableAccountKeyStore(TableClient table) {
        this.table = new EntityTable(table);
    }

    @Override
    public void create(AccountKey key) {
        TableEntity entity = new TableEntity(TableKeys.of(key.prefix()), ROW);
        StoredAccountKey.write(key).forEach(entity::addProperty);
        table.create("account key", entity);
    }

    @Override
    public Optional<AccountKey> find(String prefix) {
        return table.find(TableKeys.of(prefix), ROW).map(TableAccountKeyStore::fromEntity);
    }

    @Override
    public List<AccountKey> list(String account) {
        return table.client().listEntities(new ListEntitiesOptions()
                        .setFilter("account eq " + TableKeys.literal(account)), null, null)
                .stream().map(TableAccountKeyStore::fromEntity).toList();
    }

    @Override
    public void markUsed(String prefix, Instant at) {
        // A merge that requires the row (If-Match: *): a key revoked meanwhile stays gone.
        TableEntity used = new TableEntity(TableKeys.of(prefix), ROW).addProperty("lastUsedAt", at.toString());
        try {
            table.client().updateEntityWithResponse(used, TableEntityUpdateMode.MERGE, false, null, Context.NONE);
        } catch (TableServiceException e) {
            if (e.getResponse() == null || e.getResponse().getStatusCode() != 404) {
                throw e;
            }
        }
    }

    @Override
    public boolean delete(String account, String prefix) {
        Optional<TableEntity> found = table.find(TableKeys.of(prefix), ROW)
                .filter(e -> account.equals(e.getProperty("account")));
        return found.isPresent() && table.deleteIfUnchanged(TableKeys.of(prefix), ROW, found.get().getETag());
    }

    private static AccountKey fromEntity(TableEntity e) {
        return StoredAccountKey.read(e.getPartitionKey(), e.getProperties());
    }
}
