package io.sequencer.domain.sequence;

import io.sequencer.domain.Ids;
import io.sequencer.domain.channel.ChannelRoute;
import io.sequencer.domain.channel.StepMessaging;
import java.util.Optional;

/**
 * One message of a sequence. {@code message} is the JSON object text handed to the channel untouched. A
 * disabled step is skipped (and counted as skipped); {@code sendWindow}, when set, replaces the sequence's;
 * {@code rules} hold its conditions, branches and event wait; {@code messaging} its Messenger tag and window policy;
 * {@code route} its own channel (else the sequence's) and the channels it falls back to when that one would skip it;
 * {@code experiment} its A/B variants or split ({@link Experiment#NONE} for none).
 */
public record Step(String id, Delay delay, String message, boolean enabled, Optional<SendWindow> sendWindow,
                   StepRules rules, StepMessaging messaging, ChannelRoute route, Experiment experiment) {
    public Step {
        Ids.require("id", id);
        if (delay == null || sendWindow == null || rules == null || messaging == null || route == null
                || experiment == null) {
            throw new IllegalArgumentException(
                    "delay, sendWindow (possibly empty), rules, messaging, route and experiment are required");
        }
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("message is required");
        }
    }

    /** A step on its sequence's channel, with no fallback, variants or split. */
    public Step(String id, Delay delay, String message, boolean enabled, Optional<SendWindow> sendWindow,
                StepRules rules, StepMessaging messaging) {
        this(id, delay, message, enabled, sendWindow, rules, messaging, ChannelRoute.DEFAULT, Experiment.NONE);
    }

    /** A step on its own channel (or its sequence's), with its fallback, and no variants or split. */
    public Step(String id, Delay delay, String message, boolean enabled, Optional<SendWindow> sendWindow,
                StepRules rules, StepMessaging messaging, ChannelRoute route) {
        this(id, delay, message, enabled, sendWindow, rules, messaging, route, Experiment.NONE);
    }

    /** A step on its sequence's channel, with no fallback, and with {@code experiment}. */
    public Step(String id, Delay delay, String message, boolean enabled, Optional<SendWindow> sendWindow,
                StepRules rules, StepMessaging messaging, Experiment experiment) {
        this(id, delay, message, enabled, sendWindow, rules, messaging, ChannelRoute.DEFAULT, experiment);
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
        this(id, delay, message, enabled, sendWindow, rules, StepMessaging.DEFAULT);
    }

    /** A step without conditions, branches or waits. */
    public Step(String id, Delay delay, String message, boolean enabled, Optional<SendWindow> sendWindow) {
        this(id, delay, message, enabled, sendWindow, StepRules.NONE, StepMessaging.DEFAULT);
    }

    /** An enabled step with no window or rules of its own. */
    public Step(String id, Delay delay, String message) {
        this(id, delay, message, true, Optional.empty(), StepRules.NONE, StepMessaging.DEFAULT);
    }
}
