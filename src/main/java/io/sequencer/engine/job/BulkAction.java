package io.sequencer.engine.job;

import java.util.Locale;

/** What a bulk job does to each enrollment it selects. */
public enum BulkAction {
    /** Takes the subscriber out of the sequence (as {@code DELETE} on the enrollment: reason unsubscribed). */
    LEAVE,
    /** Moves an active enrollment to wait for the job's step. */
    MOVE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BulkAction fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
