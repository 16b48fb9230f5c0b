package io.sequencer.adapters.json.stored;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Golden fixtures under {@code src/test/resources/stored/<kind>/}: a queue message as its text, a table row as a
 * JSON object of its properties (PartitionKey and RowKey left out; binary values as {@code {"binary": base64}}).
 * A format's fixtures are written once, by the code that introduces it, from {@link StoredSamples}, and never
 * edited afterwards: they are what rows of that version look like in storage.
 */
final class StoredFixtures {
    private StoredFixtures() {}

    static String text(String fixture) {
        try (var in = StoredFixtures.class.getResourceAsStream("/stored/" + fixture)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + fixture);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The row's properties, typed as Table storage hands them back (Integer or Long, String, Boolean, byte[]). */
    static Map<String, Object> row(String fixture) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = Json.read(text(fixture)).fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            Object typed;
            if (value.isObject()) {
                typed = Base64.getDecoder().decode(value.get("binary").textValue());
            } else if (value.isInt()) {
                typed = value.intValue();
            } else if (value.isIntegralNumber()) {
                typed = value.longValue();
            } else if (value.isBoolean()) {
                typed = value.booleanValue();
            } else {
                typed = value.textValue();
            }
            properties.put(field.getKey(), typed);
        }
        return properties;
    }

    /** A row's properties as fixture JSON, keys sorted, so two rows compare as their fixtures would. */
    static JsonNode asFixture(Map<String, Object> properties) {
        ObjectNode out = Json.object();
        new TreeMap<>(properties).forEach((name, value) -> {
            if (value instanceof byte[] bytes) {
                out.putObject(name).put("binary", Base64.getEncoder().encodeToString(bytes));
            } else {
                out.set(name, Json.MAPPER.valueToTree(value));
            }
        });
        // Through text, so Integer and Long properties of the same value compare equal, as in a fixture file.
        return Json.read(Json.write(out));
    }
}
