package io.sequencer.domain;

import java.util.Locale;

/** Why an enrollment ended before its last step. */
public enum LeaveReason {
    /** The host took the subscriber out (DELETE on the enrollment). */
    UNSUBSCRIBED,
    /** The sequence was archived. */
    ARCHIVED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LeaveReason fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
