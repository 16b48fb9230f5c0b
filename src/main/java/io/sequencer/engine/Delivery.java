package io.sequencer.engine;

import io.sequencer.domain.DeliveryId;
import io.sequencer.domain.EnrollmentKey;
import java.time.Instant;
import java.util.Optional;

/** One step's message on its way to one subscriber. */
public record Delivery(
        DeliveryId deliveryId, EnrollmentKey key, String stepId, String message, Instant dueAt, int attempt,
        Optional<String> tag, Optional<String> email) {

    /** A delivery without a message tag or an e-mail address (webhook steps). */
    public Delivery(DeliveryId deliveryId, EnrollmentKey key, String stepId, String message, Instant dueAt, int attempt) {
        this(deliveryId, key, stepId, message, dueAt, attempt, Optional.empty(), Optional.empty());
    }
}
