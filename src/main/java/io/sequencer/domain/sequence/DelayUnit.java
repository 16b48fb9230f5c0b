package io.sequencer.domain.sequence;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The units a step delay may be written in. */
public enum DelayUnit {
    SECONDS(Duration.ofSeconds(1)),
    MINUTES(Duration.ofMinutes(1)),
    HOURS(Duration.ofHours(1)),
    DAYS(Duration.ofDays(1));

    private final Duration length;
    private final long maxAmount;

    DelayUnit(Duration length) {
        this.length = length;
        // Computed once: Duration.dividedBy(Duration) goes through BigDecimal, and every sequence read checks it.
        this.maxAmount = Delay.MAX.dividedBy(length);
    }

    /** The largest amount of this unit a delay may have ({@link Delay#MAX}). */
    long maxAmount() {
        return maxAmount;
    }

    Duration length() {
        return length;
    }

    /** The name used on the wire: {@code seconds}, {@code minutes}, {@code hours}, {@code days}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DelayUnit> fromWireName(String name) {
        return Arrays.stream(values()).filter(u -> u.wireName().equals(name)).findFirst();
    }
}
