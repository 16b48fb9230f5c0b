package io.sequencer.adapters.azure;

import io.sequencer.domain.Ids;
import io.sequencer.domain.Sha256;
import java.time.Instant;

/**
 * The one place where table keys are built and OData filter values escaped. Every key part is a validated id
 * ({@link Ids}), which cannot contain the characters Table storage forbids in keys ({@code / \ # ?},
 * control characters); parts are joined with {@code '|'}, which no id contains, so keys never collide.
 */
public final class TableKeys {
    private TableKeys() {}

    public static String of(String... parts) {
        StringBuilder key = new StringBuilder();
        for (String part : parts) {
            Ids.require("key", part);
            if (!key.isEmpty()) {
                key.append('|');
            }
            key.append(part);
        }
        return key.toString();
    }

    /**
     * A key part for free text that is not an id (an idempotency key may hold {@code / # ?}): its SHA-256 in hex,
     * so any text makes a valid key of fixed length.
     */
    public static String digestOf(String text) {
        return Sha256.hex(text, 32);
    }

    /**
     * A key part that sorts newest first: the time counted back from {@link Instant#MAX}, in fixed-width digits so
     * that text order is time order (17 digits of seconds cover every instant, then 9 of nanoseconds).
     */
    public static String newestFirst(Instant at) {
        return String.format("%017d%09d", Instant.MAX.getEpochSecond() - at.getEpochSecond(), 999_999_999 - at.getNano());
    }

    /** A string literal for an OData filter: quotes doubled, so the value can never end the literal early. */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
