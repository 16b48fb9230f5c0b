package io.sequencer.adapters.json.stored;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A tolerant reader of stored JSON at one path: unknown fields are ignored, absent optional fields are empty, an
 * absent or mistyped required field is an {@link UnreadableStoredForm} naming its path. Unlike a request reader it
 * applies no limit of the API (lengths, counts, id spelling): what was stored once stays readable. Public for the
 * channel types' stored forms ({@link StoredChannelForm}).
 */
public final class StoredNode {
    private final String what;
    private final String path;
    private final JsonNode node;

    private StoredNode(String what, String path, JsonNode node) {
        this.what = what;
        this.path = path;
        this.node = node;
    }

    /** The JSON text of {@code field} of {@code what}, which must be an object or array. */
    static StoredNode parse(String what, String field, String text) {
        try {
            JsonNode node = Json.MAPPER.readTree(text);
            if (node == null || !(node.isObject() || node.isArray())) {
                throw new UnreadableStoredForm(what, field, "is not a JSON object or array");
            }
            return new StoredNode(what, field, node);
        } catch (JsonProcessingException e) {
            throw new UnreadableStoredForm(what, field, "is not JSON: " + e.getOriginalMessage());
        }
    }

    JsonNode json() {
        return node;
    }

    boolean has(String field) {
        return node.hasNonNull(field);
    }

    StoredNode child(String field) {
        return optionalChild(field).orElseThrow(() -> missing(field));
    }

    Optional<StoredNode> optionalChild(String field) {
        JsonNode child = node.get(field);
        return child == null || child.isNull() ? Optional.empty() : Optional.of(new StoredNode(what, at(field), child));
    }

    /** The elements of the array at {@code field}; an absent field is an empty list. */
    List<StoredNode> elements(String field) {
        return optionalChild(field).map(StoredNode::elements).orElse(List.of());
    }

    /** The elements of this array. */
    List<StoredNode> elements() {
        if (!node.isArray()) {
            throw new UnreadableStoredForm(what, path, "must be an array");
        }
        List<StoredNode> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(new StoredNode(what, path + "[" + i + "]", node.get(i)));
        }
        return out;
    }

    public String text(String field) {
        return optionalText(field).orElseThrow(() -> missing(field));
    }

    public Optional<String> optionalText(String field) {
        return optionalChild(field).map(StoredNode::text);
    }

    /** This node as text. */
    String text() {
        if (!node.isTextual()) {
            throw new UnreadableStoredForm(what, path, "must be text");
        }
        return node.textValue();
    }

    long whole(String field) {
        return optionalWhole(field).orElseThrow(() -> missing(field));
    }

    Optional<Long> optionalWhole(String field) {
        return optionalChild(field).map(child -> {
            if (!child.node.canConvertToLong() || !child.node.isIntegralNumber()) {
                throw new UnreadableStoredForm(what, child.path, "must be a whole number");
            }
            return child.node.longValue();
        });
    }

    boolean flag(String field, boolean absent) {
        return optionalChild(field).map(child -> {
            if (!child.node.isBoolean()) {
                throw new UnreadableStoredForm(what, child.path, "must be true or false");
            }
            return child.node.booleanValue();
        }).orElse(absent);
    }

    /** {@code field}'s text read by {@code parser}, which may throw for text no writer wrote. */
    public <T> T parsed(String field, Function<String, T> parser) {
        return optionalParsed(field, parser).orElseThrow(() -> missing(field));
    }

    <T> Optional<T> optionalParsed(String field, Function<String, T> parser) {
        return optionalText(field).map(text -> {
            try {
                return parser.apply(text);
            } catch (DateTimeException | IllegalArgumentException e) {
                throw new UnreadableStoredForm(what, at(field), "cannot be read: " + e.getMessage());
            }
        });
    }

    /** A domain value's own check failed on what this node holds. */
    public UnreadableStoredForm unreadable(RuntimeException e) {
        return new UnreadableStoredForm(what, path, "cannot be read: " + e.getMessage());
    }

    public UnreadableStoredForm invalid(String field, String problem) {
        return new UnreadableStoredForm(what, at(field), problem);
    }

    UnreadableStoredForm missing(String field) {
        return new UnreadableStoredForm(what, at(field), "is missing");
    }

    private String at(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
