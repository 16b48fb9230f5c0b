package io.sequencer.adapters.json.stored;

import java.time.Instant;
import java.time.ZoneId;
import java.time.DateTimeException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A tolerant reader of one stored row's properties: fields it is not asked for are ignored, an absent optional
 * field is empty, and an absent or mistyped required field is an {@link UnreadableStoredForm} naming the field.
 */
final class StoredRow {
    private final String what;
    private final Map<String, Object> properties;
    private final int version;

    StoredRow(String what, Map<String, Object> properties) {
        this.what = what;
        this.properties = properties;
        this.version = StoredVersion.check(what, properties.get(StoredVersion.FIELD));
    }

    String what() {
        return what;
    }

    String text(String field) {
        return optionalText(field).orElseThrow(() -> missing(field));
    }

    Optional<String> optionalText(String field) {
        return optional(field, String.class, "text");
    }

    long whole(String field) {
        return optionalWhole(field).orElseThrow(() -> missing(field));
    }

    Optional<Long> optionalWhole(String field) {
        return optional(field, Number.class, "a whole number").map(Number::longValue);
    }

    int small(String field) {
        return Math.toIntExact(whole(field));
    }

    boolean flag(String field, boolean absent) {
        return optional(field, Boolean.class, "true or false").orElse(absent);
    }

    byte[] bytes(String field) {
        return optionalBytes(field).orElseThrow(() -> missing(field));
    }

    Optional<byte[]> optionalBytes(String field) {
        return optional(field, byte[].class, "binary");
    }

    Instant instant(String field) {
        return optionalInstant(field).orElseThrow(() -> missing(field));
    }

    Optional<Instant> optionalInstant(String field) {
        return optionalText(field).map(text -> parse(field, text, Instant::parse));
    }

    Optional<ZoneId> optionalZone(String field) {
        return optionalText(field).map(text -> parse(field, text, ZoneId::of));
    }

    /** Text kept across {@code field_0..field_(n-1)} with the count in {@code field_n} (see {@link RowWriter}). */
    String chunked(String field) {
        int chunks = small(field + "_n");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < chunks; i++) {
            text.append(text(field + "_" + i));
        }
        return text.toString();
    }

    /** {@code text} of {@code field} read by {@code parser}; a failure names the field. */
    <T> T parse(String field, String text, Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (DateTimeException | IllegalArgumentException e) {
            throw new UnreadableStoredForm(what, field, "cannot be read: " + e.getMessage());
        }
    }

    UnreadableStoredForm missing(String field) {
        return new UnreadableStoredForm(what, field, "is missing (format version " + version + ")");
    }

    private <T> Optional<T> optional(String field, Class<T> type, String expected) {
        Object value = properties.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!type.isInstance(value)) {
            throw new UnreadableStoredForm(what, field, "must be " + expected + ", not " + value.getClass().getSimpleName());
        }
        return Optional.of(type.cast(value));
    }
}
