package io.sequencer.domain.sequence;

import io.sequencer.domain.subscriber.AttributeOperator;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Attributes;
import io.sequencer.domain.subscriber.Engagement;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether a step is sent: tests on how the subscriber engaged with earlier steps and on their profile,
 * combined with {@code all} and {@code any}.
 */
public sealed interface Condition {
    /** Nesting of all/any. */
    int MAX_DEPTH = 5;
    /** Leaf tests in one condition. */
    int MAX_TESTS = 50;
    /** Members of one all/any; with the depth limit this keeps a condition small enough to read and store. */
    int MAX_MEMBERS = 20;

    boolean holds(ConditionFacts facts);

    /** True when evaluating needs the subscriber's attributes (the tick then reads the profile; otherwise it does not). */
    boolean readsAttributes();

    /** Step ids named by step tests (not "previous"), so a sequence can check they exist. */
    Set<String> namedSteps();

    /** Holds when every member holds. */
    record All(List<Condition> conditions) implements Condition {
        public All {
            conditions = members(conditions);
        }

        @Override
        public boolean holds(ConditionFacts facts) {
            return conditions.stream().allMatch(c -> c.holds(facts));
        }

        @Override
        public boolean readsAttributes() {
            return conditions.stream().anyMatch(Condition::readsAttributes);
        }

        @Override
        public Set<String> namedSteps() {
            return namedIn(conditions);
        }
    }

    /** Holds when at least one member holds. */
    record Any(List<Condition> conditions) implements Condition {
        public Any {
            conditions = members(conditions);
        }

        @Override
        public boolean holds(ConditionFacts facts) {
            return conditions.stream().anyMatch(c -> c.holds(facts));
        }

        @Override
        public boolean readsAttributes() {
            return conditions.stream().anyMatch(Condition::readsAttributes);
        }

        @Override
        public Set<String> namedSteps() {
            return namedIn(conditions);
        }
    }

    /**
     * Holds when the step was reached and has the engagement (stronger signals imply weaker ones); negated, it
     * holds also when the step was never reached or was skipped.
     */
    record StepWas(StepRef step, Engagement engagement, boolean negated) implements Condition {
        public StepWas {
            if (step == null || engagement == null) {
                throw new IllegalArgumentException("a step test needs a step and an engagement");
            }
        }

        @Override
        public boolean holds(ConditionFacts facts) {
            boolean was = step.lastIn(facts.history()).map(r -> r.has(engagement)).orElse(false);
            return was != negated;
        }

        @Override
        public boolean readsAttributes() {
            return false;
        }

        @Override
        public Set<String> namedSteps() {
            return step instanceof StepRef.Named named ? Set.of(named.stepId()) : Set.of();
        }
    }

    /** Compares the subscriber's attribute {@code name} with {@code operand} (see {@link AttributeOperator}). */
    record AttributeTest(String name, AttributeOperator operator, AttributeValue operand) implements Condition {
        public AttributeTest {
            if (name == null || !Attributes.NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("attribute name " + name + " is not a valid name");
            }
            if (operator == null || operand == null) {
                throw new IllegalArgumentException("an attribute test needs an operator and an operand");
            }
            operator.problemWith(operand).ifPresent(reason -> {
                throw new IllegalArgumentException("the operand of " + operator.wireName() + " " + reason);
            });
        }

        @Override
        public boolean holds(ConditionFacts facts) {
            return operator.test(facts.attributes().get(name), operand);
        }

        @Override
        public boolean readsAttributes() {
            return true;
        }

        @Override
        public Set<String> namedSteps() {
            return Set.of();
        }
    }

    private static List<Condition> members(List<Condition> conditions) {
        if (conditions == null || conditions.isEmpty() || conditions.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("all and any need at least one condition");
        }
        if (conditions.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException("all and any hold at most " + MAX_MEMBERS + " conditions");
        }
        if (1 + conditions.stream().mapToInt(Condition::depth).max().orElse(0) > MAX_DEPTH) {
            throw new IllegalArgumentException("all and any nest at most " + MAX_DEPTH + " deep");
        }
        if (conditions.stream().mapToInt(Condition::tests).sum() > MAX_TESTS) {
            throw new IllegalArgumentException("a condition holds at most " + MAX_TESTS + " tests");
        }
        return List.copyOf(conditions);
    }

    /** Levels of all/any: 0 for a single test. */
    private static int depth(Condition condition) {
        List<Condition> members = membersOf(condition);
        return members.isEmpty() ? 0 : 1 + members.stream().mapToInt(Condition::depth).max().orElse(0);
    }

    /** Leaf tests (step and attribute tests) inside. */
    private static int tests(Condition condition) {
        List<Condition> members = membersOf(condition);
        return members.isEmpty() ? 1 : members.stream().mapToInt(Condition::tests).sum();
    }

    private static List<Condition> membersOf(Condition condition) {
        if (condition instanceof All all) {
            return all.conditions();
        }
        if (condition instanceof Any any) {
            return any.conditions();
        }
        return List.of();
    }

    private static Set<String> namedIn(List<Condition> conditions) {
        return conditions.stream().flatMap(c -> c.namedSteps().stream()).collect(Collectors.toUnmodifiableSet());
    }
}
