package io.sequencer.engine.send;

import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.EnrollmentKey;
import java.time.Instant;
import java.util.Optional;

/**
 * One message on its way to one subscriber: a sequence's step or a broadcast; {@code marketingToken} is the
 * subscriber's Messenger Marketing Messages token when it goes as a marketing message (outside the standard window).
 */
public record Delivery(
        DeliveryId deliveryId, DeliveryTarget target, String message, Instant dueAt, int attempt,
        Optional<String> tag, Optional<String> email, Optional<String> marketingToken) {

    /** Not a marketing message. */
    public Delivery(DeliveryId deliveryId, DeliveryTarget target, String message, Instant dueAt, int attempt,
                    Optional<String> tag, Optional<String> email) {
        this(deliveryId, target, message, dueAt, attempt, tag, email, Optional.empty());
    }

    /** A step of an enrollment. */
    public Delivery(DeliveryId deliveryId, EnrollmentKey key, String stepId, String message, Instant dueAt, int attempt,
                    Optional<String> tag, Optional<String> email) {
        this(deliveryId, new DeliveryTarget.Step(key, stepId), message, dueAt, attempt, tag, email);
    }

    /** A step without a message tag or an e-mail address (webhook steps). */
    public Delivery(DeliveryId deliveryId, EnrollmentKey key, String stepId, String message, Instant dueAt, int attempt) {
        this(deliveryId, key, stepId, message, dueAt, attempt, Optional.empty(), Optional.empty());
    }

    public String subscriberId() {
        return target.subscriberId();
    }

    /** The enrollment of a step's delivery. @throws IllegalStateException for a broadcast's */
    public EnrollmentKey key() {
        return step().key();
    }

    /** The step of a step's delivery. @throws IllegalStateException for a broadcast's */
    public String stepId() {
        return step().stepId();
    }

    private DeliveryTarget.Step step() {
        if (target instanceof DeliveryTarget.Step step) {
            return step;
        }
        throw new IllegalStateException("delivery " + deliveryId + " is a broadcast's, not a step's");
    }
}
