package io.sequencer.adapters.json.stored;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.sequence.Condition;
import io.sequencer.domain.sequence.StepRef;
import io.sequencer.domain.subscriber.AttributeOperator;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Engagement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Stored conditions and attribute values: {@code {"all":[...]}}, {@code {"any":[...]}},
 * {@code {"step":"s1","is":"read"}} and {@code {"attribute":"plan","is":"pro"}}, as requests spell them, read
 * without the request's limits on depth, size or names.
 */
final class StoredCondition {
    private static final String PREVIOUS = "previous";

    private StoredCondition() {}

    static ObjectNode write(Condition condition) {
        ObjectNode out = Json.object();
        if (condition instanceof Condition.All all) {
            ArrayNode members = out.putArray("all");
            all.conditions().forEach(c -> members.add(write(c)));
        } else if (condition instanceof Condition.Any any) {
            ArrayNode members = out.putArray("any");
            any.conditions().forEach(c -> members.add(write(c)));
        } else if (condition instanceof Condition.StepWas was) {
            out.put("step", was.step() instanceof StepRef.Named named ? named.stepId() : PREVIOUS);
            out.put(was.negated() ? "is_not" : "is", was.engagement().wireName());
        } else {
            Condition.AttributeTest test = (Condition.AttributeTest) condition;
            out.put("attribute", test.name());
            out.set(test.operator().wireName(), writeValue(test.operand()));
        }
        return out;
    }

    static Condition read(StoredNode in) {
        try {
            if (in.has("all")) {
                return new Condition.All(members(in.elements("all")));
            }
            if (in.has("any")) {
                return new Condition.Any(members(in.elements("any")));
            }
            if (in.has("step")) {
                String step = in.text("step");
                boolean negated = in.has("is_not");
                return new Condition.StepWas(step.equals(PREVIOUS) ? new StepRef.Previous() : new StepRef.Named(step),
                        in.parsed(negated ? "is_not" : "is", Engagement::fromWireName), negated);
            }
            String name = in.text("attribute");
            for (Iterator<String> fields = in.json().fieldNames(); fields.hasNext(); ) {
                String field = fields.next();
                Optional<AttributeOperator> operator = AttributeOperator.fromWireName(field);
                if (operator.isPresent()) {
                    return new Condition.AttributeTest(name, operator.get(), readValue(in.child(field)));
                }
            }
            throw in.missing("an operator");
        } catch (IllegalArgumentException e) {
            throw in.unreadable(e);
        }
    }

    private static List<Condition> members(List<StoredNode> nodes) {
        List<Condition> members = new ArrayList<>();
        nodes.forEach(node -> members.add(read(node)));
        return members;
    }

    static JsonNode writeValue(AttributeValue value) {
        var nodes = Json.MAPPER.getNodeFactory();
        if (value instanceof AttributeValue.Text text) {
            return nodes.textNode(text.value());
        }
        if (value instanceof AttributeValue.Number number) {
            return nodes.numberNode(number.value());
        }
        if (value instanceof AttributeValue.Flag flag) {
            return nodes.booleanNode(flag.value());
        }
        ArrayNode items = Json.MAPPER.createArrayNode();
        ((AttributeValue.TextList) value).values().forEach(items::add);
        return items;
    }

    static AttributeValue readValue(StoredNode in) {
        JsonNode node = in.json();
        if (node.isTextual()) {
            return new AttributeValue.Text(node.textValue());
        }
        if (node.isNumber()) {
            return new AttributeValue.Number(node.decimalValue());
        }
        if (node.isBoolean()) {
            return new AttributeValue.Flag(node.booleanValue());
        }
        List<String> items = new ArrayList<>();
        in.elements().forEach(item -> items.add(item.text()));
        return new AttributeValue.TextList(items);
    }
}
