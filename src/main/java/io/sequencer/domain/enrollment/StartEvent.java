package io.sequencer.domain.enrollment;

import io.sequencer.domain.subscriber.SubscriberEvent;
import java.time.Instant;
import java.util.Optional;

/**
 * The event that started an enrollment through another sequence's event trigger, as its messages may show it:
 * its type, name, time and id, and the sequence and step it named.
 */
public record StartEvent(String type, Optional<String> name, Optional<Instant> at, Optional<String> eventId,
                         Optional<String> sequenceId, Optional<String> stepId) {
    public StartEvent {
        if (type == null || name == null || at == null || eventId == null || sequenceId == null || stepId == null) {
            throw new IllegalArgumentException("type is required; the rest may be empty, not null");
        }
    }

    public static StartEvent of(SubscriberEvent event) {
        return new StartEvent(event.type().wireName(), event.name(), event.at(), event.eventId(), event.sequenceId(),
                event.stepId());
    }
}
