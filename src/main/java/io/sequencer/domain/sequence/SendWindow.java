package io.sequencer.domain.sequence;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * When a sequence may send, on the subscriber's own clock: from {@code from} until {@code to} (exclusive) on
 * the given days. A window whose {@code to} is earlier than {@code from} crosses midnight and belongs to the
 * day it opens (FRI 22:00-06:00 runs into Saturday morning); {@code from == to} means the whole day.
 */
public record SendWindow(LocalTime from, LocalTime to, Set<DayOfWeek> days) {
    public static final Set<DayOfWeek> EVERY_DAY = Set.copyOf(EnumSet.allOf(DayOfWeek.class));

    public SendWindow {
        if (from == null || to == null || days == null || days.isEmpty()) {
            throw new IllegalArgumentException("from, to and at least one day are required");
        }
        from = from.withSecond(0).withNano(0);
        to = to.withSecond(0).withNano(0);
        days = Set.copyOf(days);
    }

    public boolean isAllDay() {
        return from.equals(to);
    }

    public boolean crossesMidnight() {
        return to.isBefore(from);
    }

    /** True when the subscriber's clock at {@code instant} is inside the window. */
    public boolean contains(Instant instant, ZoneId zone) {
        ZonedDateTime local = instant.atZone(zone);
        LocalTime time = local.toLocalTime();
        DayOfWeek day = local.getDayOfWeek();
        if (isAllDay()) {
            return days.contains(day);
        }
        if (!crossesMidnight()) {
            return days.contains(day) && !time.isBefore(from) && time.isBefore(to);
        }
        return (days.contains(day) && !time.isBefore(from)) || (days.contains(day.minus(1)) && time.isBefore(to));
    }

    /**
     * The earliest instant at or after {@code instant} inside the window. The window can only open where the
     * clock reaches {@code from} (or midnight, for a whole-day window) or where a daylight-saving change makes
     * the clock jump, so those instants over the next fifteen days are the only candidates: a window open on one
     * weekday whose hour a spring-forward skips opens next a week later, up to fourteen days away.
     */
    public Instant nextOpening(Instant instant, ZoneId zone) {
        if (contains(instant, zone)) {
            return instant;
        }
        List<Instant> candidates = new ArrayList<>();
        LocalTime opensAt = isAllDay() ? LocalTime.MIDNIGHT : from;
        LocalDate start = instant.atZone(zone).toLocalDate().minusDays(1);
        for (int i = 0; i <= 16; i++) {
            LocalDate date = start.plusDays(i);
            candidates.add(LocalClock.firstInstantAtOrAfter(date.atTime(opensAt), zone));
            candidates.addAll(LocalClock.instantsShowing(date.atTime(opensAt), zone));
        }
        ZoneRules rules = zone.getRules();
        Instant horizon = instant.plus(java.time.Duration.ofDays(16));
        for (ZoneOffsetTransition t = rules.nextTransition(instant); t != null && t.getInstant().isBefore(horizon);
                t = rules.nextTransition(t.getInstant())) {
            candidates.add(t.getInstant());
        }
        return candidates.stream()
                .filter(c -> c.isAfter(instant) && contains(c, zone))
                .min(Instant::compareTo)
                .orElseThrow(() -> new IllegalStateException("window " + this + " never opens after " + instant));
    }
}
