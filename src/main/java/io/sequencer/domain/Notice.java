package io.sequencer.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * One lifecycle event of one enrollment, waiting in its outbox until the host has it. {@code sequence} orders
 * the events of an enrollment (across its epochs); {@code eventId} is derived from the enrollment and that
 * number, so every redelivery of the event carries the same id. {@code detail} is the leave reason, the error
 * of a failed step or the reason a step was skipped.
 */
public record Notice(long sequence, String eventId, NoticeType type, Instant occurredAt, long epoch,
                     Optional<String> stepId, Optional<String> deliveryId, Optional<String> detail) {
    public Notice {
        if (sequence < 1 || eventId == null || type == null || occurredAt == null || stepId == null
                || deliveryId == null || detail == null) {
            throw new IllegalArgumentException("sequence >= 1; eventId, type and occurredAt required; the rest may be empty");
        }
    }

    /**
     * For a failed step: {@code transient} when every retry of a passing error (timeout, 429, 5xx) failed,
     * {@code permanent} when the channel refused it for good.
     */
    public Optional<String> errorClass() {
        if (type != NoticeType.STEP_FAILED) {
            return Optional.empty();
        }
        // Notifications keep their two classes: a recipient who is gone is a permanent failure there.
        return Optional.of(StepRecord.failureClassOf(detail.orElse("")).equals("transient") ? "transient" : "permanent");
    }

    /** The stable id of event number {@code sequence} of {@code key}. */
    public static String eventIdOf(EnrollmentKey key, long sequence) {
        String material = String.join("\n", key.account(), key.sequenceId(), key.subscriberId(), Long.toString(sequence));
        return "evt_" + Sha256.hex(material, 16);
    }
}
