package io.sequencer.domain;

import java.util.Optional;

/**
 * One message of a sequence. {@code message} is the JSON object text handed to the channel untouched. A
 * disabled step is skipped (and counted as skipped); {@code sendWindow}, when set, replaces the sequence's;
 * {@code rules} hold its conditions, branches and event wait.
 */
public record Step(String id, Delay delay, String message, boolean enabled, Optional<SendWindow> sendWindow,
                   StepRules rules) {
    public Step {
        Ids.require("id", id);
        if (delay == null || sendWindow == null || rules == null) {
            throw new IllegalArgumentException("delay, sendWindow (possibly empty) and rules are required");
        }
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("message is required");
        }
    }

    /** A step without conditions, branches or waits. */
    public Step(String id, Delay delay, String message, boolean enabled, Optional<SendWindow> sendWindow) {
        this(id, delay, message, enabled, sendWindow, StepRules.NONE);
    }

    /** An enabled step with no window or rules of its own. */
    public Step(String id, Delay delay, String message) {
        this(id, delay, message, true, Optional.empty(), StepRules.NONE);
    }
}
