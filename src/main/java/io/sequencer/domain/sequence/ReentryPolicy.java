package io.sequencer.domain.sequence;

import java.util.Locale;
import java.util.Optional;

/** Whether a subscriber may be enrolled in a sequence again. */
public enum ReentryPolicy {
    /** Once enrolled, never again (repeating an enroll while still active is harmless). */
    NEVER,
    /** Again once the earlier enrollment has ended (completed or left). */
    AFTER_COMPLETION,
    /** Any time; an active enrollment starts over from the first step. */
    ALWAYS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ReentryPolicy> fromWireName(String name) {
        for (ReentryPolicy policy : values()) {
            if (policy.wireName().equals(name)) {
                return Optional.of(policy);
            }
        }
        return Optional.empty();
    }
}
