package io.sequencer.domain.sequence;

import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.subscriber.Attributes;
import java.util.List;

/**
 * What a {@link Condition} is judged against: the enrollment's step records, oldest first, and the
 * subscriber's profile ({@link Attributes#NONE} when the condition does not read attributes).
 */
public record ConditionFacts(List<StepRecord> history, Attributes attributes) {
    public ConditionFacts {
        if (history == null || attributes == null) {
            throw new IllegalArgumentException("history and attributes are required");
        }
        history = List.copyOf(history);
    }
}
