package io.sequencer.engine.enrollment;

import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.subscriber.AttributeValue;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/**
 * One subscriber to enroll: their time zone (else their profile's, else the sequence's), profile changes to
 * apply on the way, and what started it.
 */
public record EnrollRequest(EnrollmentKey key, Optional<ZoneId> timezone,
                            Map<String, Optional<AttributeValue>> attributes, Origin origin) {
    public EnrollRequest {
        if (key == null || timezone == null || attributes == null || origin == null) {
            throw new IllegalArgumentException("key, timezone, attributes and origin are required (possibly empty)");
        }
        attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
    }

    /** The host enrolls {@code key} with no profile changes. */
    public static EnrollRequest byHost(EnrollmentKey key, Optional<ZoneId> timezone) {
        return new EnrollRequest(key, timezone, Map.of(), Origin.HOST);
    }
}
