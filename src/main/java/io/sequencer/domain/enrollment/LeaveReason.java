package io.sequencer.domain.enrollment;

import java.util.Locale;

/** Why an enrollment ended before its last step. */
public enum LeaveReason {
    /** The host took the subscriber out (DELETE on the enrollment). */
    UNSUBSCRIBED,
    /** The sequence was archived. */
    ARCHIVED,
    /** An event the sequence names as a goal arrived (a purchase, a click on its offer). */
    GOAL,
    /** The subscriber opted out of everything the account sends. */
    OPTED_OUT,
    /** The destination reports the subscriber unreachable for good (blocked the page, deleted the account). */
    BLOCKED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LeaveReason fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
