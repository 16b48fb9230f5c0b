package io.sequencer.adapters.json.stored;

import io.sequencer.adapters.json.TickCodec;
import io.sequencer.domain.timer.PoisonedTick;
import java.util.Map;

/**
 * A poisoned tick as one table row: the {@code tick} as its queue message text, the last {@code error}, when it
 * was last poisoned ({@code at}) and how many {@code times}. Version 0 rows (no {@code v}) hold the same
 * properties.
 */
public final class StoredPoisonedTick {
    private StoredPoisonedTick() {}

    public static Map<String, Object> write(PoisonedTick p) {
        return new RowWriter()
                .put("tick", TickCodec.encode(p.tick()))
                .put("error", p.error())
                .put("at", p.at().toString())
                .put("times", p.times())
                .properties();
    }

    /** {@code row} (the row's key) only names the row in errors. */
    public static PoisonedTick read(String row, Map<String, Object> properties) {
        StoredRow stored = new StoredRow("poisoned tick " + row, properties);
        try {
            return new PoisonedTick(TickCodec.decode(stored.text("tick")), stored.text("error"), stored.instant("at"),
                    stored.small("times"));
        } catch (TickCodec.MalformedTick | IllegalArgumentException e) {
            throw new UnreadableStoredForm(stored.what(), "tick", "cannot be read: " + e.getMessage());
        }
    }
}
