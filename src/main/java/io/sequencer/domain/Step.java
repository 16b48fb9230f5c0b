package io.sequencer.domain;

/**
 * One message of a sequence. {@code message} is the JSON object text handed to the channel untouched.
 */
public record Step(String id, Delay delay, String message) {
    public Step {
        Ids.require("id", id);
        if (delay == null) {
            throw new IllegalArgumentException("delay is required");
        }
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("message is required");
        }
    }
}
