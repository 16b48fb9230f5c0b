package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Attributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and writes subscriber attributes: strings, numbers, booleans and lists of strings by name. */
final class AttributesJson {
    private AttributesJson() {}

    /**
     * The attributes in the object at {@code path}, in the order given; an empty value (from JSON null, only when
     * {@code allowRemoval}) removes that attribute. Fields in error are left out and recorded in {@code in};
     * null when the node is not an object.
     */
    static Map<String, Optional<AttributeValue>> parse(JsonNode node, String path, FieldReader in, boolean allowRemoval) {
        if (in.object(node, path, true) == null) {
            return null;
        }
        Map<String, Optional<AttributeValue>> values = new LinkedHashMap<>();
        if (node.size() > Attributes.MAX_ATTRIBUTES) {
            in.fail(path, "must have at most " + Attributes.MAX_ATTRIBUTES + " attributes");
            return values;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            String fieldPath = path.isEmpty() ? name : path + "." + name;
            if (!Attributes.NAME.matcher(name).matches()) {
                in.fail(fieldPath, "is not an attribute name: a letter followed by up to 63 letters, digits or '_'");
                continue;
            }
            JsonNode value = field.getValue();
            if (value.isNull()) {
                if (allowRemoval) {
                    values.put(name, Optional.empty());
                } else {
                    in.fail(fieldPath, "must not be null");
                }
                continue;
            }
            AttributeValue parsed = value(value, fieldPath, in);
            if (parsed != null) {
                values.put(name, Optional.of(parsed));
            }
        }
        return values;
    }

    private static AttributeValue value(JsonNode node, String path, FieldReader in) {
        if (node.isTextual()) {
            return text(node, path, in) == null ? null : new AttributeValue.Text(node.textValue());
        }
        if (node.isNumber()) {
            return new AttributeValue.Number(node.decimalValue());
        }
        if (node.isBoolean()) {
            return new AttributeValue.Flag(node.booleanValue());
        }
        if (!node.isArray()) {
            in.fail(path, "must be a string, number, boolean or array of strings");
            return null;
        }
        if (node.size() > AttributeValue.MAX_ITEMS) {
            in.fail(path, "must have at most " + AttributeValue.MAX_ITEMS + " items");
            return null;
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String item = text(node.get(i), path + "[" + i + "]", in);
            if (item != null) {
                items.add(item);
            }
        }
        return items.size() == node.size() ? new AttributeValue.TextList(items) : null;
    }

    private static String text(JsonNode node, String path, FieldReader in) {
        if (!node.isTextual()) {
            in.fail(path, "must be a string");
            return null;
        }
        if (node.textValue().length() > AttributeValue.MAX_TEXT) {
            in.fail(path, "must be at most " + AttributeValue.MAX_TEXT + " characters");
            return null;
        }
        return node.textValue();
    }

    public static ObjectNode write(Attributes attributes) {
        ObjectNode out = Json.object();
        attributes.values().forEach((name, value) -> out.set(name, writeValue(value)));
        return out;
    }

    /** One attribute value as JSON: text, number, true/false, or an array of text. */
    static JsonNode writeValue(AttributeValue value) {
        if (value instanceof AttributeValue.Text text) {
            return Json.MAPPER.getNodeFactory().textNode(text.value());
        }
        if (value instanceof AttributeValue.Number number) {
            return Json.MAPPER.getNodeFactory().numberNode(number.value());
        }
        if (value instanceof AttributeValue.Flag flag) {
            return Json.MAPPER.getNodeFactory().booleanNode(flag.value());
        }
        ArrayNode items = Json.MAPPER.createArrayNode();
        ((AttributeValue.TextList) value).values().forEach(items::add);
        return items;
    }
}
