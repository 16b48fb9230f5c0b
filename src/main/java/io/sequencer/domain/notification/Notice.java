package io.sequencer.domain.notification;

import io.sequencer.domain.Sha256;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.StepRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One lifecycle event of one enrollment, waiting in its outbox until the host has it. {@code sequence} orders
 * the events of an enrollment (across its epochs); {@code eventId} is derived from the enrollment and that
 * number, so every redelivery of the event carries the same id. {@code detail} is the leave reason, the error
 * of a failed step or the reason a step was skipped; {@code channel} the type of channel a sent or failed step
 * went on; {@code variant} the A/B variant (or split path) of a step's.
 */
public record Notice(long sequence, String eventId, NoticeType type, Instant occurredAt, long epoch,
                     Optional<String> stepId, Optional<String> deliveryId, Optional<String> detail,
                     Optional<String> channel, Optional<String> variant) {
    public Notice {
        if (sequence < 1 || eventId == null || type == null || occurredAt == null || stepId == null
                || deliveryId == null || detail == null || channel == null || variant == null) {
            throw new IllegalArgumentException("sequence >= 1; eventId, type and occurredAt required; the rest may be empty");
        }
    }

    /** An event that names no channel and no variant. */
    public Notice(long sequence, String eventId, NoticeType type, Instant occurredAt, long epoch,
                  Optional<String> stepId, Optional<String> deliveryId, Optional<String> detail) {
        this(sequence, eventId, type, occurredAt, epoch, stepId, deliveryId, detail, Optional.empty(), Optional.empty());
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

    /**
     * The id of one POST of {@code notices}, in their order: a single event's own id, else {@code ntf_} and a hash
     * of the events' ids. A batch sent again (after a lost answer or a failure) holds the same events and so carries
     * the same id; a batch put together differently on a retry is another message, and the host tells the events
     * it already has by their {@code eventId}.
     */
    public static String batchIdOf(List<Notice> notices) {
        if (notices.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one event");
        }
        if (notices.size() == 1) {
            return notices.get(0).eventId();
        }
        return "ntf_" + Sha256.hex(String.join("\n", notices.stream().map(Notice::eventId).toList()), 16);
    }

    /** The stable id of event number {@code sequence} of {@code key}. */
    public static String eventIdOf(EnrollmentKey key, long sequence) {
        String material = String.join("\n", key.account(), key.sequenceId(), key.subscriberId(), Long.toString(sequence));
        return "evt_" + Sha256.hex(material, 16);
    }
}
