package io.sequencer.domain.broadcast;

import io.sequencer.domain.Ids;
import io.sequencer.domain.subscriber.AttributeValue;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/**
 * A subscriber named in a broadcast's audience, with profile values to store before it goes out (a time zone,
 * attributes), as an enroll with a profile does. Nothing here can clear an opt-out.
 */
public record AudienceMember(String subscriberId, Optional<ZoneId> timezone, Map<String, Optional<AttributeValue>> attributes) {
    public AudienceMember {
        Ids.require("subscriberId", subscriberId);
        if (timezone == null || attributes == null) {
            throw new IllegalArgumentException("timezone and attributes may be empty, never null");
        }
        attributes = Map.copyOf(attributes);
    }

    public static AudienceMember of(String subscriberId) {
        return new AudienceMember(subscriberId, Optional.empty(), Map.of());
    }

    /** True when the member carries profile values to store. */
    public boolean changesProfile() {
        return timezone.isPresent() || !attributes.isEmpty();
    }
}
