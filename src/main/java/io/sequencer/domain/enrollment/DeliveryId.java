package io.sequencer.domain.enrollment;

import io.sequencer.domain.Sha256;


/**
 * The idempotency key of one send: the same step of the same enrollment epoch always gets the same id,
 * however often it is retried, so the receiver can recognise a repeat.
 */
public record DeliveryId(String value) {
    private static final String PREFIX = "dlv_";

    public static DeliveryId of(EnrollmentKey key, long epoch, int cursor, String stepId) {
        // '\n' cannot occur in an id, so the fields cannot run into each other.
        return hashed(String.join("\n", key.account(), key.sequenceId(), key.subscriberId(),
                Long.toString(epoch), Integer.toString(cursor), stepId));
    }

    private static DeliveryId hashed(String material) {
        return new DeliveryId(PREFIX + Sha256.hex(material, 16));
    }

    /** The id of one broadcast's send to one subscriber: a broadcast goes to each subscriber once. */
    public static DeliveryId ofBroadcast(String account, String broadcastId, String subscriberId) {
        return hashed(String.join("\n", "broadcast", account, broadcastId, subscriberId));
    }

    @Override
    public String toString() {
        return value;
    }
}
