package io.sequencer.domain;

import java.time.Duration;

/** How long to wait before a step, counted from the previous step's send (from enrollment for the first). */
public record Delay(long amount, DelayUnit unit) {
    /** Ten years: far beyond any drip campaign, small enough that no arithmetic overflows. */
    public static final Duration MAX = Duration.ofDays(3650);

    public Delay {
        if (unit == null) {
            throw new IllegalArgumentException("unit is required");
        }
        if (amount < 0) {
            throw new IllegalArgumentException("amount must not be negative");
        }
        if (amount > MAX.dividedBy(unit.length())) {
            throw new IllegalArgumentException("delay must be at most " + MAX.toDays() + " days");
        }
    }

    public static Delay of(long amount, DelayUnit unit) {
        return new Delay(amount, unit);
    }

    public Duration toDuration() {
        return unit.length().multipliedBy(amount);
    }

    /** The largest amount allowed for {@code unit}. */
    public static long maxAmount(DelayUnit unit) {
        return MAX.dividedBy(unit.length());
    }
}
