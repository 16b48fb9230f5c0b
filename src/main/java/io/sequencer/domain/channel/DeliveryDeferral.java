package io.sequencer.domain.channel;

import java.time.Instant;

/**
 * A send put off at {@code at} until {@code until} because of its destination, not because of the message: the
 * destination's circuit is open, or it has as many sends in flight as it may. Not an attempt: nothing was sent.
 */
public record DeliveryDeferral(String destination, Cause cause, Instant at, Instant until) {

    public enum Cause {
        CIRCUIT_OPEN("circuit_open"), BULKHEAD_FULL("destination_busy");

        private final String wireName;

        Cause(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public String reason() {
        return switch (cause) {
            case CIRCUIT_OPEN -> "the circuit of destination " + destination + " is open until " + until;
            case BULKHEAD_FULL -> "destination " + destination + " has as many sends in flight as it may";
        };
    }
}
