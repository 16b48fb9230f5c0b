package io.sequencer.domain.enrollment;

import java.util.Locale;

/** Where a subscriber stands in a sequence. Only an active enrollment is ever sent anything. */
public enum EnrollmentStatus {
    ACTIVE,
    COMPLETED,
    LEFT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EnrollmentStatus fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
