package io.sequencer.domain.notification;

import java.time.Instant;
import java.util.Optional;

/** A lifecycle event before the outbox numbers it; {@code variant} is the A/B variant of a step's event. */
public record NoticeDraft(NoticeType type, Instant occurredAt, long epoch, Optional<String> stepId,
                          Optional<String> deliveryId, Optional<String> detail, Optional<String> variant) {

    /** An event without a variant. */
    public NoticeDraft(NoticeType type, Instant occurredAt, long epoch, Optional<String> stepId,
                       Optional<String> deliveryId, Optional<String> detail) {
        this(type, occurredAt, epoch, stepId, deliveryId, detail, Optional.empty());
    }

    public static NoticeDraft of(NoticeType type, Instant at, long epoch) {
        return new NoticeDraft(type, at, epoch, Optional.empty(), Optional.empty(), Optional.empty());
    }
}
