package io.sequencer.engine;

import io.sequencer.domain.DeliveryId;
import io.sequencer.domain.EnrollmentKey;
import java.time.Instant;

/** One step's message on its way to one subscriber. */
public record Delivery(
        DeliveryId deliveryId, EnrollmentKey key, String stepId, String message, Instant dueAt, int attempt) {}
