package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.domain.FieldError;
import io.sequencer.domain.Ids;
import io.sequencer.domain.Invalid;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads request fields by JSON path, collecting every problem instead of stopping at the first. Public for the
 * channel types' API forms ({@link ChannelForm}).
 */
public final class FieldReader {
    private final List<FieldError> errors = new ArrayList<>();
    private final FieldReader parent;
    private final String prefix;

    public FieldReader() {
        this(null, "");
    }

    private FieldReader(FieldReader parent, String prefix) {
        this.parent = parent;
        this.prefix = prefix;
    }

    /**
     * A reader for a part that sits at {@code prefix} of this request (a step's own channel at {@code steps[0].}): its
     * problems are this reader's too, each field name prefixed.
     */
    FieldReader under(String prefix) {
        return new FieldReader(this, prefix);
    }

    public void fail(String field, String reason) {
        errors.add(new FieldError(prefix + field, reason));
        if (parent != null) {
            parent.fail(prefix + field, reason);
        }
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** How many problems were found so far: a part read in between failed when it grew. */
    int errorCount() {
        return errors.size();
    }

    void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw new Invalid(errors);
        }
    }

    /** The object at {@code path}, or null (with an error) when it is missing or not an object. */
    public JsonNode object(JsonNode node, String path, boolean required) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            if (required) {
                fail(path, "is required");
            }
            return null;
        }
        if (!node.isObject()) {
            fail(path, "must be a JSON object");
            return null;
        }
        return node;
    }

    public String string(JsonNode parent, String name, String path, boolean required, int maxLength) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                fail(path, "is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            fail(path, "must be a string");
            return null;
        }
        String value = node.textValue();
        if (required && value.isBlank()) {
            fail(path, "must not be blank");
            return null;
        }
        if (value.length() > maxLength) {
            fail(path, "must be at most " + maxLength + " characters");
            return null;
        }
        return value;
    }

    /** A true or false field; {@code absent} when it is missing or null. */
    public boolean flag(JsonNode parent, String name, String path, boolean absent) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.isBoolean()) {
            fail(path, "must be true or false");
            return absent;
        }
        return node.booleanValue();
    }

    /** An ISO-8601 instant, when given. */
    Optional<Instant> instant(JsonNode parent, String name, String path) {
        String text = string(parent, name, path, false, 64);
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            fail(path, "must be an ISO-8601 instant such as 2026-03-01T10:00:00Z");
            return Optional.empty();
        }
    }

    public String id(JsonNode parent, String name, String path) {
        JsonNode node = parent.get(name);
        if (node != null && !node.isNull() && !node.isTextual()) {
            fail(path, "must be a string");
            return null;
        }
        String value = node == null || node.isNull() ? null : node.textValue();
        var problem = Ids.problemWith(value);
        problem.ifPresent(reason -> fail(path, reason));
        return problem.isPresent() ? null : value;
    }

    /** Flags fields this API does not know, so a typo ({@code "delays"}) is not silently ignored. */
    public void rejectUnknown(JsonNode object, String path, Set<String> known) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                fail(path.isEmpty() ? name : path + "." + name, "is not a known field");
            }
        }
    }
}
