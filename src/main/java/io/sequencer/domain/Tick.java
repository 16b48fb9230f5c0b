package io.sequencer.domain;

import java.time.Instant;

/**
 * A timed callback: "step {@code stepId} of this enrollment is due at {@code dueAt}". It carries keys, never
 * message bodies, so it stays far below the queue's 64 KiB limit.
 *
 * @param attempt the send attempt this tick makes (1 for the first; raised by transient-failure retries)
 * @param waits how often this tick has already found its enrollment not yet committed and come back later
 */
public record Tick(
        EnrollmentKey key,
        long epoch,
        int cursor,
        String stepId,
        Instant dueAt,
        String token,
        int attempt,
        int waits) {

    public Tick {
        if (key == null || stepId == null || dueAt == null || token == null || token.isEmpty()) {
            throw new IllegalArgumentException("key, stepId, dueAt and token are required");
        }
        if (epoch < 1 || cursor < 0 || attempt < 1 || waits < 0) {
            throw new IllegalArgumentException("epoch>=1, cursor>=0, attempt>=1, waits>=0");
        }
    }

    /** The tick that acts for an enrollment's current step. */
    public static Tick forNextStep(Enrollment enrollment) {
        return new Tick(enrollment.key(), enrollment.epoch(), enrollment.cursor(), enrollment.nextStepId(),
                enrollment.nextDueAt(), enrollment.timerToken(), 1, 0);
    }

    public Tick nextAttempt() {
        return new Tick(key, epoch, cursor, stepId, dueAt, token, attempt + 1, waits);
    }

    public Tick waitedOnce() {
        return new Tick(key, epoch, cursor, stepId, dueAt, token, attempt, waits + 1);
    }

    public DeliveryId deliveryId() {
        return DeliveryId.of(key, epoch, cursor, stepId);
    }
}
