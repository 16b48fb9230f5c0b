package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.sequence.Condition;
import io.sequencer.domain.sequence.StepRef;
import io.sequencer.domain.subscriber.AttributeOperator;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Attributes;
import io.sequencer.domain.subscriber.Engagement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads and writes step conditions: {@code all}/{@code any} groups, step tests and attribute tests. */
final class ConditionJson {
    private static final String PREVIOUS = "previous";
    private static final List<String> KINDS = List.of("all", "any", "step", "attribute");
    private static final Set<String> STEP = Set.of("step", "is", "is_not");
    private static final String OPERATORS = Arrays.stream(AttributeOperator.values())
            .map(AttributeOperator::wireName).collect(Collectors.joining(", "));
    private static final String ENGAGEMENTS = Arrays.stream(Engagement.values())
            .map(Engagement::wireName).collect(Collectors.joining(", "));

    private ConditionJson() {}

    /** The condition at {@code path}, or null after recording every problem in {@code in}. */
    static Condition parse(JsonNode node, String path, FieldReader in) {
        Reader reader = new Reader(in);
        Condition condition = reader.condition(node, path, 0);
        if (reader.tests > Condition.MAX_TESTS) {
            in.fail(path, "must hold at most " + Condition.MAX_TESTS + " step and attribute tests");
            return null;
        }
        return condition;
    }

    /** The API form of a condition, spelled as a request spells it. */
    public static ObjectNode write(Condition condition) {
        ObjectNode out = Json.object();
        if (condition instanceof Condition.All all) {
            writeMembers(out.putArray("all"), all.conditions());
        } else if (condition instanceof Condition.Any any) {
            writeMembers(out.putArray("any"), any.conditions());
        } else if (condition instanceof Condition.StepWas was) {
            out.put("step", was.step() instanceof StepRef.Named named ? named.stepId() : PREVIOUS);
            out.put(was.negated() ? "is_not" : "is", was.engagement().wireName());
        } else {
            Condition.AttributeTest test = (Condition.AttributeTest) condition;
            out.put("attribute", test.name());
            String key = test.operator().wireName();
            AttributeValue operand = test.operand();
            if (operand instanceof AttributeValue.Text text) {
                out.put(key, text.value());
            } else if (operand instanceof AttributeValue.Number number) {
                out.put(key, number.value());
            } else {
                out.put(key, ((AttributeValue.Flag) operand).value());
            }
        }
        return out;
    }

    private static void writeMembers(ArrayNode out, List<Condition> members) {
        members.forEach(member -> out.add(write(member)));
    }

    /** One parse: counts tests across the whole condition, so the limit applies to the total. */
    private static final class Reader {
        private final FieldReader in;
        private int tests;

        Reader(FieldReader in) {
            this.in = in;
        }

        /** {@code groups} is how many all/any enclose this node. */
        Condition condition(JsonNode node, String path, int groups) {
            if (in.object(node, path, true) == null) {
                return null;
            }
            List<String> kinds = KINDS.stream().filter(node::has).toList();
            if (kinds.size() != 1) {
                in.fail(path, "must have exactly one of all, any, step or attribute");
                return null;
            }
            String kind = kinds.get(0);
            if (kind.equals("all") || kind.equals("any")) {
                return group(node, kind, path, groups + 1);
            }
            tests++;
            return kind.equals("step") ? step(node, path) : attribute(node, path);
        }

        private Condition group(JsonNode node, String kind, String path, int level) {
            in.rejectUnknown(node, path, Set.of(kind));
            String listPath = path + "." + kind;
            if (level > Condition.MAX_DEPTH) {
                // Stop here rather than descend: the rest cannot be accepted anyway.
                in.fail(listPath, "nests all and any more than " + Condition.MAX_DEPTH + " levels deep");
                return null;
            }
            JsonNode list = node.get(kind);
            if (!list.isArray() || list.isEmpty() || list.size() > Condition.MAX_MEMBERS) {
                in.fail(listPath, "must be an array of 1 to " + Condition.MAX_MEMBERS + " conditions");
                return null;
            }
            List<Condition> members = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                members.add(condition(list.get(i), listPath + "[" + i + "]", level));
            }
            // Over the test limit the whole condition is refused once, at its root, not at every group.
            if (members.contains(null) || tests > Condition.MAX_TESTS) {
                return null;
            }
            return kind.equals("all") ? new Condition.All(members) : new Condition.Any(members);
        }

        private Condition step(JsonNode node, String path) {
            in.rejectUnknown(node, path, STEP);
            String id = in.id(node, "step", path + ".step");
            StepRef step = id == null ? null : id.equals(PREVIOUS) ? new StepRef.Previous() : new StepRef.Named(id);
            if (node.has("is") == node.has("is_not")) {
                in.fail(path, "must have exactly one of is or is_not");
                return null;
            }
            boolean negated = node.has("is_not");
            String key = negated ? "is_not" : "is";
            String name = in.string(node, key, path + "." + key, true, 32);
            Optional<Engagement> engagement = Arrays.stream(Engagement.values())
                    .filter(e -> e.wireName().equals(name)).findFirst();
            if (name != null && engagement.isEmpty()) {
                in.fail(path + "." + key, "must be one of " + ENGAGEMENTS);
            }
            return step == null || engagement.isEmpty() ? null : new Condition.StepWas(step, engagement.get(), negated);
        }

        private Condition attribute(JsonNode node, String path) {
            String name = in.string(node, "attribute", path + ".attribute", true, 64);
            if (name != null && !Attributes.NAME.matcher(name).matches()) {
                in.fail(path + ".attribute", "must be a letter followed by up to 63 letters, digits or '_'");
                name = null;
            }
            AttributeOperator operator = null;
            boolean unknown = false;
            for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (key.equals("attribute")) {
                    continue;
                }
                Optional<AttributeOperator> parsed = AttributeOperator.fromWireName(key);
                if (parsed.isEmpty()) {
                    in.fail(path + "." + key, "is not a known field; operators are " + OPERATORS);
                    unknown = true;
                } else if (operator != null) {
                    in.fail(path + "." + key, "is a second operator; a test takes exactly one");
                    return null;
                } else {
                    operator = parsed.get();
                }
            }
            if (operator == null) {
                if (!unknown) {
                    in.fail(path, "needs one operator: " + OPERATORS);
                }
                return null;
            }
            String operandPath = path + "." + operator.wireName();
            AttributeValue operand = operand(node.get(operator.wireName()), operandPath);
            if (operand == null) {
                return null;
            }
            Optional<String> problem = operator.problemWith(operand);
            problem.ifPresent(reason -> in.fail(operandPath, reason));
            return name == null || problem.isPresent() ? null : new Condition.AttributeTest(name, operator, operand);
        }

        private AttributeValue operand(JsonNode node, String path) {
            if (node.isTextual()) {
                if (node.textValue().length() > AttributeValue.MAX_TEXT) {
                    in.fail(path, "must be at most " + AttributeValue.MAX_TEXT + " characters");
                    return null;
                }
                return new AttributeValue.Text(node.textValue());
            }
            if (node.isNumber()) {
                return new AttributeValue.Number(node.decimalValue());
            }
            if (node.isBoolean()) {
                return new AttributeValue.Flag(node.booleanValue());
            }
            in.fail(path, "must be a string, number or boolean");
            return null;
        }
    }
}
