package io.sequencer.engine.preview;

import io.sequencer.domain.Ids;
import io.sequencer.domain.enrollment.EnrollmentData;
import io.sequencer.domain.subscriber.AttributeValue;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/** Whom a preview or a test send renders a step for, with the enrollment's {@code data} it assumes. */
public sealed interface PreviewSubject {
    /** The id the message is rendered for. */
    String subscriberId();

    EnrollmentData data();

    /** A stored subscriber: their profile (zone, attributes, conversation) as stored. */
    record Stored(String subscriberId, EnrollmentData data) implements PreviewSubject {
        public Stored {
            Ids.require("subscriberId", subscriberId);
            if (data == null) {
                throw new IllegalArgumentException("data may be empty, not null");
            }
        }
    }

    /** A subscriber given in the request, stored nowhere. */
    record Inline(String subscriberId, Optional<ZoneId> timezone, Map<String, Optional<AttributeValue>> attributes,
                  EnrollmentData data) implements PreviewSubject {
        /** The id an inline subscriber has when the request names none. */
        public static final String DEFAULT_ID = "preview";

        public Inline {
            Ids.require("subscriber.id", subscriberId);
            if (timezone == null || attributes == null || data == null) {
                throw new IllegalArgumentException("timezone, attributes and data may be empty, not null");
            }
            attributes = Map.copyOf(attributes);
        }
    }
}
