package io.sequencer.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The idempotency key of one send: the same step of the same enrollment epoch always gets the same id,
 * however often it is retried, so the receiver can recognise a repeat.
 */
public record DeliveryId(String value) {
    private static final String PREFIX = "dlv_";

    public static DeliveryId of(EnrollmentKey key, long epoch, int cursor, String stepId) {
        // '\n' cannot occur in an id, so the fields cannot run into each other.
        String material = String.join("\n", key.account(), key.sequenceId(), key.subscriberId(),
                Long.toString(epoch), Integer.toString(cursor), stepId);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
            return new DeliveryId(PREFIX + HexFormat.of().formatHex(hash, 0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
