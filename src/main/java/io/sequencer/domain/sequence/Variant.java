package io.sequencer.domain.sequence;

import io.sequencer.domain.Ids;

/** One version of a step's message in an A/B test: sent to a sticky share of subscribers in proportion to {@code weight}. */
public record Variant(String id, int weight, String message) {
    public Variant {
        Ids.require("variant id", id);
        if (weight < 1 || weight > Experiment.MAX_WEIGHT) {
            throw new IllegalArgumentException("a variant's weight is 1 to " + Experiment.MAX_WEIGHT);
        }
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("a variant needs a message");
        }
    }
}
