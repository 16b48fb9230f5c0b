package io.sequencer.domain.timer;

import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import java.time.Instant;

/**
 * A timed callback: "step {@code stepId} of this enrollment is due at {@code dueAt}". It carries keys, never
 * message bodies, so it stays far below the queue's 64 KiB limit.
 *
 * @param attempt the send attempt this tick makes (1 for the first; raised by transient-failure retries)
 * @param waits how often this tick has already found its enrollment not yet committed and come back later
 * @param holds how often this tick has already found its sequence paused and come back later
 */
public record Tick(
        EnrollmentKey key,
        long epoch,
        int cursor,
        String stepId,
        Instant dueAt,
        String token,
        int attempt,
        int waits,
        int holds) implements Timer {

    public Tick {
        if (key == null || stepId == null || dueAt == null || token == null || token.isEmpty()) {
            throw new IllegalArgumentException("key, stepId, dueAt and token are required");
        }
        if (epoch < 1 || cursor < 0 || attempt < 1 || waits < 0 || holds < 0) {
            throw new IllegalArgumentException("epoch>=1, cursor>=0, attempt>=1, waits>=0, holds>=0");
        }
    }

    /** The tick that acts for an enrollment's current step. */
    public static Tick forNextStep(Enrollment enrollment) {
        return new Tick(enrollment.key(), enrollment.epoch(), enrollment.cursor(), enrollment.nextStepId(),
                enrollment.nextDueAt(), enrollment.timerToken(), 1, 0, 0);
    }

    public Tick nextAttempt() {
        return new Tick(key, epoch, cursor, stepId, dueAt, token, attempt + 1, waits, holds);
    }

    public Tick waitedOnce() {
        return new Tick(key, epoch, cursor, stepId, dueAt, token, attempt, waits + 1, holds);
    }

    public Tick heldOnce() {
        return new Tick(key, epoch, cursor, stepId, dueAt, token, attempt, waits, holds + 1);
    }

    /** The same timer, now due at {@code newDueAt} (its send window was closed when it woke). */
    public Tick dueAt(Instant newDueAt) {
        return new Tick(key, epoch, cursor, stepId, newDueAt, token, attempt, waits, holds);
    }

    /** A tick's message fires when it is due. */
    @Override
    public Instant fireAt() {
        return dueAt;
    }

    public DeliveryId deliveryId() {
        return DeliveryId.of(key, epoch, cursor, stepId);
    }
}
