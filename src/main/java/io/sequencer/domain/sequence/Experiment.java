package io.sequencer.domain.sequence;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * A step's A/B test: {@code variants} of its message, or a {@code split} into paths that branch; never both. Who
 * gets which is {@link Assignment}'s sticky choice, so a retry, an edit that keeps the weights, or a restart
 * chooses the same.
 */
public record Experiment(List<Variant> variants, List<SplitPath> split) {
    public static final int MAX_ARMS = 10;
    public static final int MAX_WEIGHT = 10_000;
    public static final Experiment NONE = new Experiment(List.of(), List.of());

    public Experiment {
        variants = List.copyOf(variants);
        split = List.copyOf(split);
        if (!variants.isEmpty() && !split.isEmpty()) {
            throw new IllegalArgumentException("a step has variants or a split, not both");
        }
        if (variants.size() == 1 || split.size() == 1 || variants.size() > MAX_ARMS || split.size() > MAX_ARMS) {
            throw new IllegalArgumentException("variants and splits have 2 to " + MAX_ARMS + " entries");
        }
        if (new HashSet<>(variants.stream().map(Variant::id).toList()).size() != variants.size()) {
            throw new IllegalArgumentException("variant ids must be unique");
        }
        if (new HashSet<>(split.stream().map(SplitPath::goTo).toList()).size() != split.size()) {
            throw new IllegalArgumentException("split paths must go to different steps");
        }
    }

    public boolean isEmpty() {
        return variants.isEmpty() && split.isEmpty();
    }

    /** The variant {@code subscriber} gets at {@code stepId}; empty when the step has no variants. */
    public Optional<Variant> variantFor(Assignment.Unit unit) {
        if (variants.isEmpty()) {
            return Optional.empty();
        }
        int arm = Assignment.pick(unit, variants.stream().mapToInt(Variant::weight).toArray());
        return Optional.of(variants.get(arm));
    }

    /** The split path {@code unit} takes; empty when the step does not split. */
    public Optional<SplitPath> pathFor(Assignment.Unit unit) {
        if (split.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(split.get(Assignment.pick(unit, split.stream().mapToInt(SplitPath::weight).toArray())));
    }
}
