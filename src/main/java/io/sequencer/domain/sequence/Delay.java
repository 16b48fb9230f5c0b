package io.sequencer.domain.sequence;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How long to wait before a step: a span ("3 days") or a local clock time ("at 09:00", "on MON at 09:00"),
 * counted from the previous step's actual send (the default; from enrollment for the first step) or from
 * enrollment. Local times and whole days follow the subscriber's time zone.
 */
public sealed interface Delay {
    /** Ten years: far beyond any drip campaign, small enough that no arithmetic overflows. */
    Duration MAX = Duration.ofDays(3650);

    /** What a delay counts from. */
    enum Anchor {
        PREVIOUS,
        ENROLLMENT;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Anchor> fromWireName(String name) {
            for (Anchor a : values()) {
                if (a.wireName().equals(name)) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }
    }

    Anchor from();

    /** The instant this delay ends when counted from {@code anchor}, in {@code zone}. */
    Instant endsAfter(Instant anchor, ZoneId zone);

    static Span of(long amount, DelayUnit unit) {
        return new Span(amount, unit, Anchor.PREVIOUS);
    }

    /** The largest amount allowed for {@code unit}. */
    static long maxAmount(DelayUnit unit) {
        return unit.maxAmount();
    }

    /**
     * A span of time. Seconds, minutes and hours are exact durations; days are calendar days in the
     * subscriber's zone, so "1 day" after 09:00 is 09:00 the next day across a daylight-saving change.
     */
    record Span(long amount, DelayUnit unit, Anchor from) implements Delay {
        public Span {
            if (unit == null || from == null) {
                throw new IllegalArgumentException("unit and anchor are required");
            }
            if (amount < 0) {
                throw new IllegalArgumentException("amount must not be negative");
            }
            if (amount > maxAmount(unit)) {
                throw new IllegalArgumentException("delay must be at most " + MAX.toDays() + " days");
            }
        }

        Duration toDuration() {
            return unit.length().multipliedBy(amount);
        }

        @Override
        public Instant endsAfter(Instant anchor, ZoneId zone) {
            if (unit == DelayUnit.DAYS) {
                return anchor.atZone(zone).plusDays(amount).toInstant();
            }
            return anchor.plus(toDuration());
        }
    }

    /**
     * The next time the subscriber's clock shows {@code at} (on weekday {@code on}, when given), at or after
     * the anchor. A time that a daylight-saving gap skips is taken as the first instant after the gap; a time that
     * a fall-back shows twice is due at whichever showing comes first at or after the anchor.
     */
    record AtLocalTime(LocalTime at, Optional<DayOfWeek> on, Anchor from) implements Delay {
        public AtLocalTime {
            if (at == null || on == null || from == null) {
                throw new IllegalArgumentException("at, on and anchor are required");
            }
            at = at.withSecond(0).withNano(0);
        }

        @Override
        public Instant endsAfter(Instant anchor, ZoneId zone) {
            ZonedDateTime local = anchor.atZone(zone);
            for (int days = 0; days <= 8; days++) {
                var date = local.toLocalDate().plusDays(days);
                if (on.isPresent()) {
                    date = local.toLocalDate().with(TemporalAdjusters.nextOrSame(on.get())).plusWeeks(days);
                }
                // Where a fall-back repeats the reading, its second showing counts too (an anchor between them).
                List<Instant> showings = LocalClock.instantsShowing(date.atTime(at), zone);
                for (Instant candidate : showings.isEmpty()
                        ? List.of(LocalClock.firstInstantAtOrAfter(date.atTime(at), zone)) : showings) {
                    if (!candidate.isBefore(anchor)) {
                        return candidate;
                    }
                }
            }
            throw new IllegalStateException("no " + at + " found within 8 periods of " + anchor);
        }
    }
}
