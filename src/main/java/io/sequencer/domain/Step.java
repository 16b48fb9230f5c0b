package io.sequencer.domain;

import java.util.Optional;

/**
 * One message of a sequence. {@code message} is the JSON object text handed to the channel untouched. A
 * disabled step is skipped (and counted as skipped); {@code sendWindow}, when set, replaces the sequence's.
 */
public record Step(String id, Delay delay, String message, boolean enabled, Optional<SendWindow> sendWindow) {
    public Step {
        Ids.require("id", id);
        if (delay == null || sendWindow == null) {
            throw new IllegalArgumentException("delay and sendWindow (possibly empty) are required");
        }
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("message is required");
        }
    }

    /** An enabled step with no window of its own. */
    public Step(String id, Delay delay, String message) {
        this(id, delay, message, true, Optional.empty());
    }
}
