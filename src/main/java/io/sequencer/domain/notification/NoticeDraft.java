package io.sequencer.domain.notification;

import java.time.Instant;
import java.util.Optional;

/**
 * A lifecycle event before the outbox numbers it; {@code channel}, the type of channel a step went on;
 * {@code variant}, the A/B variant of a step's event.
 */
public record NoticeDraft(NoticeType type, Instant occurredAt, long epoch, Optional<String> stepId,
                          Optional<String> deliveryId, Optional<String> detail, Optional<String> channel,
                          Optional<String> variant) {

    /** An event that names no channel and no variant. */
    public NoticeDraft(NoticeType type, Instant occurredAt, long epoch, Optional<String> stepId,
                       Optional<String> deliveryId, Optional<String> detail) {
        this(type, occurredAt, epoch, stepId, deliveryId, detail, Optional.empty(), Optional.empty());
    }

    public static NoticeDraft of(NoticeType type, Instant at, long epoch) {
        return new NoticeDraft(type, at, epoch, Optional.empty(), Optional.empty(), Optional.empty());
    }
}
