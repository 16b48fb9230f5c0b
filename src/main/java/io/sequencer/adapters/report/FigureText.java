package io.sequencer.adapters.report;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/** Figures as a marketer reads them: grouped digits, percentages, "1 h 30 min", "3 May 2024". */
final class FigureText {
    static final String NONE = "–";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter SHORT_DAY = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);
    private static final DateTimeFormatter WEEKDAY = DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMM", Locale.ENGLISH);
    private static final DateTimeFormatter MONTH_YEAR = DateTimeFormatter.ofPattern("MMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter MOMENT = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    /** Units from the largest down. */
    private static final long[] UNIT_MILLIS = {86_400_000, 3_600_000, 60_000, 1_000};
    private static final String[] UNIT_NAMES = {"d", "h", "min", "s"};
    private static final int HOURS = 1;
    private static final int MINUTES = 2;
    private static final int SECONDS = 3;

    private FigureText() {}

    static String count(long value) {
        return String.format(Locale.ENGLISH, "%,d", value);
    }

    /** A count for an axis label, where room is short: 950, 9,500, 95k, 9.5M. */
    static String compact(long value) {
        if (value < 10_000) {
            return count(value);
        }
        if (value < 1_000_000) {
            return trimmed(value / 1_000.0) + "k";
        }
        return trimmed(value / 1_000_000.0) + "M";
    }

    /** A rate of 0..1 as a percentage with one decimal, or a dash when there was nothing to rate. */
    static String percent(Optional<Double> rate) {
        return rate.map(r -> String.format(Locale.ENGLISH, "%.1f%%", r * 100)).orElse(NONE);
    }

    /**
     * A duration in its two largest units, rounded to the smaller one: "42 s", "12 min 5 s", "1 h 30 min", "3 d 4 h".
     * Medians are read off buckets (within a few percent), so finer figures would claim a precision they lack.
     */
    static String duration(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 500) {
            return "under 1 s";
        }
        int smallest = millis < UNIT_MILLIS[HOURS] ? SECONDS : millis < UNIT_MILLIS[0] ? MINUTES : HOURS;
        long rounded = Math.round((double) millis / UNIT_MILLIS[smallest]) * UNIT_MILLIS[smallest];
        int largest = 0;
        while (UNIT_MILLIS[largest] > rounded) {
            largest++;
        }
        String text = rounded / UNIT_MILLIS[largest] + " " + UNIT_NAMES[largest];
        if (largest < smallest) {
            long next = rounded % UNIT_MILLIS[largest] / UNIT_MILLIS[largest + 1];
            text += next > 0 ? " " + next + " " + UNIT_NAMES[largest + 1] : "";
        }
        return text;
    }

    static String day(LocalDate day) {
        return DAY.format(day);
    }

    static String shortDay(LocalDate day) {
        return SHORT_DAY.format(day);
    }

    static String weekdayAndDay(LocalDate day) {
        return WEEKDAY.format(day);
    }

    /** A month start as an axis label, with its year when it is January or the first label. */
    static String month(LocalDate day, boolean withYear) {
        return (withYear ? MONTH_YEAR : MONTH).format(day);
    }

    static String moment(Instant instant) {
        return MOMENT.format(instant);
    }

    /** The days a report covers: "1 May 2024 – 30 May 2024", "from 1 May 2024", "until …", or "all time". */
    static String range(Optional<LocalDate> from, Optional<LocalDate> to) {
        if (from.isPresent() && to.isPresent()) {
            return from.get().equals(to.get()) ? day(from.get()) : day(from.get()) + " – " + day(to.get());
        }
        if (from.isPresent()) {
            return "from " + day(from.get());
        }
        return to.map(t -> "until " + day(t)).orElse("all time");
    }

    /** A code such as {@code condition_not_met} as words. */
    static String words(String code) {
        return code.replace('_', ' ');
    }

    private static String trimmed(double value) {
        String text = String.format(Locale.ROOT, value < 100 ? "%.1f" : "%.0f", value);
        return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
    }

    /** {@code text} up to {@code max} characters, with an ellipsis where it was cut. */
    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "\u2026";
    }
}
