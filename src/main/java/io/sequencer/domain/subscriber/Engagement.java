package io.sequencer.domain.subscriber;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a subscriber did with one sent step, as the host reports it. Stronger signals imply the weaker ones
 * (a click means the message was read, a read means it was delivered), so events arriving out of order or
 * not at all for the weaker kinds still leave a consistent picture.
 */
public enum Engagement {
    DELIVERED,
    READ,
    CLICKED,
    REPLIED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Engagement fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** This signal and every signal it implies. */
    public Set<Engagement> withImplied() {
        return switch (this) {
            case DELIVERED -> EnumSet.of(DELIVERED);
            case READ -> EnumSet.of(DELIVERED, READ);
            case CLICKED -> EnumSet.of(DELIVERED, READ, CLICKED);
            case REPLIED -> EnumSet.of(DELIVERED, READ, REPLIED);
        };
    }
}
