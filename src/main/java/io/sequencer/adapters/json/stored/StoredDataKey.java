package io.sequencer.adapters.json.stored;

import io.sequencer.engine.secret.KeyWrap;
import java.util.Map;

/**
 * An account's wrapped data key as one table row: {@code keyId} (the wrapping key's version) and {@code wrapped}
 * (binary). Version 0 rows (no {@code v}) hold the same properties.
 */
public final class StoredDataKey {
    private StoredDataKey() {}

    public static Map<String, Object> write(KeyWrap.WrappedKey key) {
        return new RowWriter().put("keyId", key.keyId()).put("wrapped", key.wrapped()).properties();
    }

    public static KeyWrap.WrappedKey read(String account, Map<String, Object> properties) {
        StoredRow row = new StoredRow("data key of " + account, properties);
        try {
            return new KeyWrap.WrappedKey(row.text("keyId"), row.bytes("wrapped"));
        } catch (IllegalArgumentException e) {
            throw new UnreadableStoredForm(row.what(), "key", "cannot be read: " + e.getMessage());
        }
    }
}
