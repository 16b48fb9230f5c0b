package io.sequencer.adapters.json.stored;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Builds one row's properties in the current format: {@code v} first, absent optionals left out. */
final class RowWriter {
    /**
     * Table storage caps one string property at 64 KiB (32K UTF-16 characters) but an entity at 1 MiB, and a
     * sequence definition may be 256 KiB: long text is kept across several properties.
     */
    static final int CHUNK = 30_000;
    static final int MAX_CHUNKS = 15;

    private final Map<String, Object> properties = new LinkedHashMap<>();

    RowWriter() {
        properties.put(StoredVersion.FIELD, StoredVersion.CURRENT);
    }

    RowWriter put(String field, Object value) {
        properties.put(field, value);
        return this;
    }

    RowWriter put(String field, Optional<?> value) {
        value.ifPresent(v -> properties.put(field, v instanceof String || v instanceof byte[] || v instanceof Number
                || v instanceof Boolean ? v : v.toString()));
        return this;
    }

    RowWriter putChunked(String field, String text) {
        int chunks = Math.max(1, (text.length() + CHUNK - 1) / CHUNK);
        if (chunks > MAX_CHUNKS) {
            throw new IllegalArgumentException(field + " is too large to store (" + text.length() + " characters)");
        }
        properties.put(field + "_n", chunks);
        for (int i = 0; i < chunks; i++) {
            properties.put(field + "_" + i, text.substring(i * CHUNK, Math.min(text.length(), (i + 1) * CHUNK)));
        }
        return this;
    }

    Map<String, Object> properties() {
        return properties;
    }
}
