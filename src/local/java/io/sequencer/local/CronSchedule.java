package io.sequencer.local;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;

/**
 * A timer trigger's NCRONTAB schedule ({@code second minute hour day month day-of-week}, in UTC as the
 * Functions host evaluates it by default). Fields take {@code *}, numbers, ranges {@code a-b}, lists
 * {@code a,b} and steps {@code *}{@code /n} or {@code a-b/n}; names (MON, JAN) are not supported.
 */
record CronSchedule(String expression, BitSet seconds, BitSet minutes, BitSet hours, BitSet days, BitSet months,
                    BitSet weekdays) {

    static CronSchedule parse(String expression) {
        String[] f = expression.trim().split("\\s+");
        if (f.length != 6) {
            throw new IllegalArgumentException("NCRONTAB needs 6 fields (second minute hour day month weekday): " + expression);
        }
        return new CronSchedule(expression, field(f[0], 0, 59), field(f[1], 0, 59), field(f[2], 0, 23),
                field(f[3], 1, 31), field(f[4], 1, 12), field(f[5], 0, 6));
    }

    private static BitSet field(String text, int min, int max) {
        BitSet bits = new BitSet();
        for (String part : text.split(",")) {
            String[] stepped = part.split("/", 2);
            int step = stepped.length == 2 ? Integer.parseInt(stepped[1]) : 1;
            int from;
            int to;
            if (stepped[0].equals("*")) {
                from = min;
                to = max;
            } else if (stepped[0].contains("-")) {
                String[] range = stepped[0].split("-", 2);
                from = Integer.parseInt(range[0]);
                to = Integer.parseInt(range[1]);
            } else {
                from = Integer.parseInt(stepped[0]);
                to = stepped.length == 2 ? max : from;
            }
            if (from < min || to > max || from > to || step < 1) {
                throw new IllegalArgumentException("field '" + text + "' is out of range " + min + "-" + max);
            }
            for (int v = from; v <= to; v += step) {
                bits.set(v);
            }
        }
        return bits;
    }

    /** The first firing strictly after {@code after}. */
    Instant next(Instant after) {
        ZonedDateTime t = after.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        for (int i = 0; i < 366 * 24 * 3600; i++) {
            if (matches(t)) {
                return t.toInstant();
            }
            t = t.plusSeconds(1);
        }
        throw new IllegalStateException("schedule " + expression + " never fires within a year");
    }

    private boolean matches(ZonedDateTime t) {
        return seconds.get(t.getSecond()) && minutes.get(t.getMinute()) && hours.get(t.getHour())
                && days.get(t.getDayOfMonth()) && months.get(t.getMonthValue())
                && weekdays.get(t.getDayOfWeek().getValue() % 7);
    }
}
