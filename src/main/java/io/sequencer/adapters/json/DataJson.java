package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.enrollment.EnrollmentData;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An enrollment's {@code data} between JSON and its plain values, for the API and the stored form alike. */
public final class DataJson {
    private DataJson() {}

    /**
     * The {@code data} object of an enroll request at {@code path}, at most {@link EnrollmentData#MAX_BYTES} as
     * compact JSON; null (after a failure in {@code in}) when it is no object or too large.
     */
    static EnrollmentData parse(JsonNode node, String path, FieldReader in) {
        if (node == null || node.isNull()) {
            return EnrollmentData.NONE;
        }
        if (!node.isObject()) {
            in.fail(path, "must be an object");
            return null;
        }
        int bytes = Json.write(node).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > EnrollmentData.MAX_BYTES) {
            in.fail(path, "is " + bytes + " bytes as JSON; at most " + EnrollmentData.MAX_BYTES);
            return null;
        }
        return read(node);
    }

    /** The plain values of a JSON object. */
    public static EnrollmentData read(JsonNode object) {
        return new EnrollmentData(map(object));
    }

    public static ObjectNode write(EnrollmentData data) {
        return (ObjectNode) node(data.values());
    }

    private static Map<String, Object> map(JsonNode object) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            out.put(field.getKey(), plain(field.getValue()));
        }
        return out;
    }

    private static Object plain(JsonNode node) {
        if (node.isObject()) {
            return map(node);
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>(node.size());
            node.forEach(element -> out.add(plain(element)));
            return out;
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.isNull() ? null : node.asText();
    }

    private static JsonNode node(Object value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (value instanceof Map<?, ?> map) {
            ObjectNode out = nodes.objectNode();
            map.forEach((key, element) -> out.set((String) key, node(element)));
            return out;
        }
        if (value instanceof List<?> list) {
            ArrayNode out = nodes.arrayNode();
            list.forEach(element -> out.add(node(element)));
            return out;
        }
        if (value instanceof BigDecimal number) {
            return nodes.numberNode(number);
        }
        if (value instanceof Boolean flag) {
            return nodes.booleanNode(flag);
        }
        return value == null ? nodes.nullNode() : nodes.textNode((String) value);
    }
}
