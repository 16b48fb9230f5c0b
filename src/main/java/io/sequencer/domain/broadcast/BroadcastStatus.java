package io.sequencer.domain.broadcast;

import java.util.Locale;

/** Where a broadcast stands, as the API shows it. */
public enum BroadcastStatus {
    /** Waiting for its time; nothing is sent yet. */
    SCHEDULED,
    /** Fanning out or sending: some subscribers may already have it. */
    SENDING,
    /** Every subscriber of the audience was sent it, or skipped, or failed for good. */
    SENT,
    /** Cancel asked for: no sender starts on it, but one that read it before may still be finishing its message. */
    CANCELLING,
    /** Cancelled: nothing more goes out. */
    CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
