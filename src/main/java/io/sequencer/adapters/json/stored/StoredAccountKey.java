package io.sequencer.adapters.json.stored;

import io.sequencer.domain.account.AccountKey;
import java.util.Map;

/**
 * An account API key as one table row (partition = its prefix): {@code account}, {@code hash}, {@code createdAt},
 * and {@code lastUsedAt} once it was used (merged in by itself, so a row may gain it without a {@code v}).
 * Version 0 rows (no {@code v}) hold the same properties.
 */
public final class StoredAccountKey {
    private StoredAccountKey() {}

    public static Map<String, Object> write(AccountKey key) {
        return new RowWriter()
                .put("account", key.account())
                .put("hash", key.hash())
                .put("createdAt", key.createdAt().toString())
                .put("lastUsedAt", key.lastUsedAt())
                .properties();
    }

    public static AccountKey read(String prefix, Map<String, Object> properties) {
        StoredRow row = new StoredRow("account key " + prefix, properties);
        try {
            return new AccountKey(prefix, row.text("account"), row.text("hash"), row.instant("createdAt"),
                    row.optionalInstant("lastUsedAt"));
        } catch (IllegalArgumentException e) {
            throw new UnreadableStoredForm(row.what(), "key", "cannot be read: " + e.getMessage());
        }
    }
}
