package io.sequencer.domain.sequence;

import io.sequencer.domain.Ids;
import io.sequencer.domain.subscriber.EventType;
import java.util.Optional;

/**
 * A pattern over subscriber events, used by waits, exit goals and triggers: "clicked on step s2", "converted
 * named purchase", "replied" (to anything).
 */
public record EventMatch(EventType type, Optional<String> stepId, Optional<String> name) {
    public EventMatch {
        if (type == null || stepId == null || name == null) {
            throw new IllegalArgumentException("type is required; stepId and name may be empty, not null");
        }
        stepId.ifPresent(id -> Ids.require("step", id));
    }

    public static EventMatch of(EventType type) {
        return new EventMatch(type, Optional.empty(), Optional.empty());
    }

    /** True when an event of {@code type}, about step {@code eventStep} (if known), named {@code eventName}, fits. */
    public boolean matches(EventType eventType, Optional<String> eventStep, Optional<String> eventName) {
        return type == eventType
                && (stepId.isEmpty() || stepId.equals(eventStep))
                && (name.isEmpty() || name.equals(eventName));
    }
}
