package io.sequencer.domain.sequence;

import io.sequencer.domain.Ids;
import io.sequencer.domain.enrollment.StepRecord;
import java.util.List;
import java.util.Optional;

/** Which step a step condition looks at: the one sent just before, or one named by its id. */
public sealed interface StepRef {
    /** The record this reference points at in {@code history} (oldest first), if the step was reached. */
    Optional<StepRecord> lastIn(List<StepRecord> history);

    /** The latest record in the history, whatever its outcome. */
    record Previous() implements StepRef {
        @Override
        public Optional<StepRecord> lastIn(List<StepRecord> history) {
            return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1));
        }
    }

    /** The latest record of the step with this id. */
    record Named(String stepId) implements StepRef {
        public Named {
            Ids.require("step", stepId);
        }

        @Override
        public Optional<StepRecord> lastIn(List<StepRecord> history) {
            for (int i = history.size() - 1; i >= 0; i--) {
                if (history.get(i).stepId().equals(stepId)) {
                    return Optional.of(history.get(i));
                }
            }
            return Optional.empty();
        }
    }
}
