package io.sequencer.domain.notification;

import java.time.Instant;
import java.util.Optional;

/** A lifecycle event before the outbox numbers it. */
public record NoticeDraft(NoticeType type, Instant occurredAt, long epoch, Optional<String> stepId,
                          Optional<String> deliveryId, Optional<String> detail) {

    public static NoticeDraft of(NoticeType type, Instant at, long epoch) {
        return new NoticeDraft(type, at, epoch, Optional.empty(), Optional.empty(), Optional.empty());
    }
}
