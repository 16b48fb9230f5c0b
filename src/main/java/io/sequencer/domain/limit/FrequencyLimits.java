package io.sequencer.domain.limit;

import io.sequencer.domain.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** An account's frequency caps: what one subscriber may receive, and what happens to a send over a cap. */
public record FrequencyLimits(String account, List<FrequencyCap> perSubscriber, Over over, Instant updatedAt) {
    public static final int MAX_RULES = 5;

    /** What a send over a cap becomes. */
    public enum Over {
        /** Waits for the first moment every cap allows it (and the step's send window). */
        HOLD,
        /** Is recorded as skipped ({@link #SKIP_REASON}) and the sequence goes on. */
        SKIP;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The value a request or a stored row spells {@code wireName}; empty for any other text. */
        public static Optional<Over> fromWireName(String wireName) {
            return Arrays.stream(values()).filter(o -> o.wireName().equals(wireName)).findFirst();
        }
    }

    /** The skip reason, as reports and notifications show it. */
    public static final String SKIP_REASON = "frequency_cap";

    public FrequencyLimits {
        Ids.require("account", account);
        if (perSubscriber == null || perSubscriber.isEmpty() || perSubscriber.size() > MAX_RULES) {
            throw new IllegalArgumentException("perSubscriber must hold 1 to " + MAX_RULES + " caps");
        }
        if (over == null || updatedAt == null) {
            throw new IllegalArgumentException("over and updatedAt are required");
        }
        perSubscriber = List.copyOf(perSubscriber);
    }

    /** How long a send must stay in the log to be counted by every cap. */
    public Duration longestPeriod() {
        return perSubscriber.stream().map(FrequencyCap::per).max(Duration::compareTo).orElseThrow();
    }
}
