package io.sequencer.adapters.azure;

import com.azure.data.tables.models.TableEntity;

/**
 * Stores long text across several string properties: Table storage caps one string property at 64 KiB
 * (32K UTF-16 characters) but an entity at 1 MiB, and a sequence definition may be 256 KiB.
 */
final class ChunkedText {
    static final int CHUNK = 30_000;
    static final int MAX_CHUNKS = 15;

    private ChunkedText() {}

    static void put(TableEntity entity, String name, String text) {
        int chunks = Math.max(1, (text.length() + CHUNK - 1) / CHUNK);
        if (chunks > MAX_CHUNKS) {
            throw new IllegalArgumentException(name + " is too large to store (" + text.length() + " characters)");
        }
        entity.addProperty(name + "_n", chunks);
        for (int i = 0; i < chunks; i++) {
            entity.addProperty(name + "_" + i, text.substring(i * CHUNK, Math.min(text.length(), (i + 1) * CHUNK)));
        }
    }

    static String get(TableEntity entity, String name) {
        int chunks = ((Number) entity.getProperty(name + "_n")).intValue();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < chunks; i++) {
            text.append((String) entity.getProperty(name + "_" + i));
        }
        return text.toString();
    }
}
