package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import io.sequencer.adapters.json.stored.StoredDataKey;
import io.sequencer.adapters.json.stored.StoredSecret;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.secret.KeyWrap;
import io.sequencer.engine.secret.SealedSecret;
import io.sequencer.engine.secret.SecretStore;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Account secrets in Azure Table storage: partition = account; row {@code datakey} holds the account's data key,
 * wrapped, with the id of the key that wrapped it; row {@code secret|<name>} holds one secret's nonce and
 * ciphertext (binary), its version, fingerprint and times, and during a rotation the previous value's. No row holds
 * a value or a key in the clear. ('|' is in no name, so no secret's row is the data key's.)
 */
public final class TableSecretStore implements SecretStore {
    static final String DATA_KEY_ROW = "datakey";
    private static final String SECRET_PREFIX = "secret|";

    private final EntityTable table;

    public TableSecretStore(TableClient table) {
        this.table = new EntityTable(table);
    }

    @Override
    public Optional<Stored<KeyWrap.WrappedKey>> dataKey(String account) {
        return table.find(TableKeys.of(account), DATA_KEY_ROW).map(e -> new Stored<>(
                StoredDataKey.read(account, e.getProperties()), e.getETag()));
    }

    @Override
    public void createDataKey(String account, KeyWrap.WrappedKey key) {
        table.create("data key of " + account, dataKeyEntity(account, key));
    }

    @Override
    public void replaceDataKey(String account, KeyWrap.WrappedKey key, String etag) {
        table.replace("data key of " + account, dataKeyEntity(account, key), etag);
    }

    private static TableEntity dataKeyEntity(String account, KeyWrap.WrappedKey key) {
        TableEntity entity = new TableEntity(TableKeys.of(account), DATA_KEY_ROW);
        StoredDataKey.write(key).forEach(entity::addProperty);
        return entity;
    }

    @Override
    public Optional<Stored<SealedSecret>> find(String account, String name) {
        return table.find(TableKeys.of(account), row(name)).map(e -> new Stored<>(fromEntity(account, e), e.getETag()));
    }

    @Override
    public List<SealedSecret> list(String account) {
        // Rows from "secret|" up to "secret}" ('}' follows '|'): every secret and not the data key.
        ListEntitiesOptions options = new ListEntitiesOptions().setFilter("PartitionKey eq "
                + TableKeys.literal(TableKeys.of(account)) + " and RowKey gt " + TableKeys.literal(SECRET_PREFIX)
                + " and RowKey lt " + TableKeys.literal("secret}"));
        return table.client().listEntities(options, null, Context.NONE).stream()
                .map(e -> fromEntity(account, e))
                .sorted(Comparator.comparing(SealedSecret::name))
                .toList();
    }

    @Override
    public void create(SealedSecret secret) {
        table.create("secret " + secret.name(), toEntity(secret));
    }

    @Override
    public void replace(SealedSecret secret, String etag) {
        table.replace("secret " + secret.name(), toEntity(secret), etag);
    }

    @Override
    public boolean delete(String account, String name) {
        // The SDK reports a delete of a missing row as done: read first, then delete that version. A secret
        // replaced in between is deleted on the next round, never reported missing while it exists.
        for (int round = 0; round < 3; round++) {
            Optional<TableEntity> found = table.find(TableKeys.of(account), row(name));
            if (found.isEmpty()) {
                return false;
            }
            if (table.deleteIfUnchanged(TableKeys.of(account), row(name), found.get().getETag())) {
                return true;
            }
        }
        throw new StaleWrite("secret " + name);
    }

    private static String row(String name) {
        return SECRET_PREFIX + TableKeys.of(name);
    }

    private static TableEntity toEntity(SealedSecret s) {
        TableEntity entity = new TableEntity(TableKeys.of(s.account()), row(s.name()));
        StoredSecret.write(s).forEach(entity::addProperty);
        return entity;
    }

    private static SealedSecret fromEntity(String account, TableEntity e) {
        return StoredSecret.read(account, e.getRowKey(), e.getProperties());
    }
}
