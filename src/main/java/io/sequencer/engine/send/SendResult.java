package io.sequencer.engine.send;

import java.time.Duration;

/** What a channel made of one send. */
public sealed interface SendResult {

    /** Accepted by the destination. */
    record Sent(String detail) implements SendResult {}

    /** Failed in a way that may pass (timeout, 429, 5xx); {@code retryAfter} is the server's wish, or null. */
    record TransientFailure(String reason, Duration retryAfter) implements SendResult {}

    /**
     * Refused for good (4xx other than 408/429, bad configuration): retrying would not help. {@code tokenRefused}
     * when what was refused is the subscriber's Marketing Messages token (invalid, expired or stopped): no later
     * message should go to it.
     */
    record PermanentFailure(String reason, boolean tokenRefused) implements SendResult {
        public PermanentFailure(String reason) {
            this(reason, false);
        }
    }

    /**
     * The recipient cannot be reached on this destination any more (blocked the page, deleted their account):
     * permanent, and the subscriber leaves every sequence that sends there.
     */
    record RecipientGone(String reason) implements SendResult {}
}
