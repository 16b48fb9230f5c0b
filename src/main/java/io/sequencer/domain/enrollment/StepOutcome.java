package io.sequencer.domain.enrollment;

import java.util.Locale;

/** What finally happened to one step of one enrollment. */
public enum StepOutcome {
    /** The channel accepted the message. */
    SENT,
    /** The channel refused it for good, or every retry failed; the sequence went on. */
    FAILED,
    /** Not sent on purpose (the step is disabled); the sequence went on. */
    SKIPPED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StepOutcome fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
