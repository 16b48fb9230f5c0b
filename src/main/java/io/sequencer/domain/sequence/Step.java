package io.sequencer.domain.sequence;

import io.sequencer.domain.Ids;
import io.sequencer.domain.channel.StepMessaging;
import java.util.Optional;

/**
 * One message of a sequence. {@code message} is the JSON object text handed to the channel untouched. A
 * disabled step is skipped (and counted as skipped); {@code sendWindow}, when set, replaces the sequence's;
 * {@code rules} hold its conditions, branches and event wait; {@code messaging} its Messenger tag and window policy;
 * {@code experiment} its A/B variants or split ({@link Experiment#NONE} for none).
 */
public record Step(String id, Delay delay, String message, boolean enabled, Optional<SendWindow> sendWindow,
                   StepRules rules, StepMessaging messaging, Experiment experiment) {
    public Step {
        Ids.require("id", id);
        if (delay == null || sendWindow == null || rules == null || messaging == null || experiment == null) {
            throw new IllegalArgumentException(
                    "delay, sendWindow (possibly empty), rules, messaging and experiment are required");
        }
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("message is required");
        }
    }

    /** A step without variants or a split. */
    public Step(String id, Delay delay, String message, boolean enabled, Optional<SendWindow> sendWindow,
                StepRules rules, StepMessaging messaging) {
        this(id, delay, message, enabled, sendWindow, rules, messaging, Experiment.NONE);
    }

    /**
     * The message {@code subscriberId} gets from this step: its variant's (sticky, see {@link Assignment}), or the
     * step's own when it has no variants.
     */
    public String messageFor(Assignment.Unit unit) {
        return experiment.variantFor(unit).map(Variant::message).orElse(message);
    }

    /** A step with rules, sent without a message tag. */
    public Step(String id, Delay delay, String message, boolean enabled, Optional<SendWindow> sendWindow,
                StepRules rules) {
        this(id, delay, message, enabled, sendWindow, rules, StepMessaging.DEFAULT, Experiment.NONE);
    }

    /** A step without conditions, branches or waits. */
    public Step(String id, Delay delay, String message, boolean enabled, Optional<SendWindow> sendWindow) {
        this(id, delay, message, enabled, sendWindow, StepRules.NONE, StepMessaging.DEFAULT, Experiment.NONE);
    }

    /** An enabled step with no window or rules of its own. */
    public Step(String id, Delay delay, String message) {
        this(id, delay, message, true, Optional.empty(), StepRules.NONE, StepMessaging.DEFAULT, Experiment.NONE);
    }
}
