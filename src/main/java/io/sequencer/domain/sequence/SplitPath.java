package io.sequencer.domain.sequence;

import io.sequencer.domain.Ids;

/**
 * One path of a branching split: a sticky share of subscribers, in proportion to {@code weight}, goes on at step
 * {@code goTo}. A path naming the split's own step sends that step and goes on in order.
 */
public record SplitPath(int weight, String goTo) {
    public SplitPath {
        if (weight < 1 || weight > Experiment.MAX_WEIGHT) {
            throw new IllegalArgumentException("a split path's weight is 1 to " + Experiment.MAX_WEIGHT);
        }
        Ids.require("goTo", goTo);
    }
}
