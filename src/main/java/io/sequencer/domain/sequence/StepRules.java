package io.sequencer.domain.sequence;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a step reacts to, all checked when it falls due: {@code branches} (the first that holds jumps ahead),
 * then {@code condition} (when false the step is skipped, or the sequence ends if {@code endWhenFalse}).
 * {@code waitFor} makes the step due as soon as a matching event arrives, its delay then being the latest time.
 */
public record StepRules(Optional<Condition> condition, boolean endWhenFalse, List<Branch> branches,
                        Optional<EventMatch> waitFor) {
    public static final int MAX_BRANCHES = 10;
    public static final StepRules NONE = new StepRules(Optional.empty(), false, List.of(), Optional.empty());

    public StepRules {
        if (condition == null || branches == null || waitFor == null) {
            throw new IllegalArgumentException("condition, branches and waitFor may be empty, not null");
        }
        branches = List.copyOf(branches);
        if (branches.size() > MAX_BRANCHES) {
            throw new IllegalArgumentException("a step has at most " + MAX_BRANCHES + " branches");
        }
        if (endWhenFalse && condition.isEmpty()) {
            throw new IllegalArgumentException("ending on a false condition needs a condition");
        }
    }

    /** True when deciding this step needs the subscriber's profile. */
    public boolean readsAttributes() {
        return conditions().anyMatch(Condition::readsAttributes);
    }

    /** Every condition of the step: the branches' and its own. */
    Stream<Condition> conditions() {
        return Stream.concat(branches.stream().map(Branch::when), condition.stream());
    }
}
