package io.sequencer.domain.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.channel.ChannelConfig;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * When a step is due, checked against a reference that shares no code with {@link NextSendTime}, {@link Delay} or
 * {@link SendWindow}: the reference reads the subscriber's clock minute by minute and does its own arithmetic on
 * minutes of the day and epoch seconds. Anchors cluster on the daylight-saving changes of zones in both
 * hemispheres, with half-hour daylight saving (Lord Howe), half-hour and 45-minute offsets (St John's, Kolkata,
 * Kathmandu, Chatham) and a zone that skipped a whole day (Samoa, 30 December 2011); the subscriber's zone, the
 * sequence's zone or neither decides the clock.
 */
class DueTimeReferenceTest {
    private static final List<ZoneId> ZONES = List.of("America/New_York", "Europe/Berlin", "Australia/Lord_Howe",
            "America/St_Johns", "Asia/Kolkata", "Asia/Kathmandu", "Pacific/Chatham", "Pacific/Apia", "UTC")
            .stream().map(ZoneId::of).toList();
    private static final Instant FROM = Instant.parse("2011-01-01T00:00:00Z");
    private static final Instant UNTIL = Instant.parse("2028-01-01T00:00:00Z");
    /** Each zone's clock changes between {@link #FROM} and {@link #UNTIL}: where anchors cluster. */
    private static final Map<ZoneId, List<Instant>> CHANGES = ZONES.stream()
            .collect(Collectors.toMap(z -> z, DueTimeReferenceTest::changes));
    private static final ChannelConfig HOOK = new WebhookConfig(URI.create("http://h/x"), Optional.empty());

    /** A moment on some zone's clock, often within hours of one of its changes. */
    record Moment(ZoneId zone, Instant at) {}

    /** Which setting names the clock: the subscriber's zone, the sequence's, or neither (UTC). */
    enum ClockFrom { SUBSCRIBER, SEQUENCE, NEITHER }

    @Property(tries = 600)
    void a_step_is_due_exactly_when_the_reference_says(@ForAll("moments") Moment anchor, @ForAll("delays") Delay delay,
            @ForAll("windows") Optional<SendWindow> window, @ForAll ClockFrom clockFrom,
            @ForAll("otherZones") ZoneId otherZone) {
        ZoneId zone = clockFrom == ClockFrom.NEITHER ? ZoneOffset.UTC : anchor.zone();
        Instant at = anchor.at();
        Optional<ZoneId> subscriberZone = clockFrom == ClockFrom.SUBSCRIBER ? Optional.of(zone) : Optional.empty();
        Optional<ZoneId> sequenceZone = switch (clockFrom) {
            case SUBSCRIBER -> Optional.of(otherZone); // the subscriber's zone wins over the sequence's
            case SEQUENCE -> Optional.of(zone);
            case NEITHER -> Optional.empty();
        };
        Step step = new Step("s", delay, "{}");
        Sequence sequence = Sequence.create("acme", "seq",
                new SequenceDraft("n", List.of(step), HOOK, sequenceZone, window), Instant.EPOCH);
        boolean fromEnrollment = delay.from() == Delay.Anchor.ENROLLMENT;
        Instant enrolled = fromEnrollment ? at : at.minus(Duration.ofDays(3));
        Instant previous = fromEnrollment ? at.plus(Duration.ofDays(2)) : at;

        Instant expected = window.map(w -> firstInside(w, delayEnd(delay, at, zone), zone))
                .orElseGet(() -> delayEnd(delay, at, zone));

        assertThat(NextSendTime.of(step, sequence, previous, enrolled, subscriberZone))
                .as("%s then %s on the clock of %s, from %s (%s)", delay, window, zone, at, at.atZone(zone))
                .isEqualTo(expected);
    }

    @Property(tries = 400)
    void a_window_contains_exactly_the_minutes_the_reference_says(@ForAll("moments") Moment moment,
            @ForAll("windows") Optional<SendWindow> window) {
        SendWindow w = window.orElse(new SendWindow(LocalTime.of(9, 0), LocalTime.of(9, 0), SendWindow.EVERY_DAY));
        for (int minute = -90; minute <= 90; minute += 7) {
            Instant t = moment.at().plus(Duration.ofMinutes(minute));
            assertThat(w.contains(t, moment.zone())).as("%s at %s", w, t.atZone(moment.zone()))
                    .isEqualTo(inside(w, t, moment.zone()));
        }
    }

    // ---- the reference ----

    /** When {@code delay} ends, counted from {@code anchor}, on {@code zone}'s clock. */
    static Instant delayEnd(Delay delay, Instant anchor, ZoneId zone) {
        if (delay instanceof Delay.Span span) {
            long unitSeconds = switch (span.unit()) {
                case SECONDS -> 1;
                case MINUTES -> 60;
                case HOURS -> 3600;
                case DAYS -> 0;
            };
            if (unitSeconds > 0) {
                return Instant.ofEpochSecond(anchor.getEpochSecond() + span.amount() * unitSeconds, anchor.getNano());
            }
            return calendarDaysLater(anchor, span.amount(), zone);
        }
        return nextReading((Delay.AtLocalTime) delay, anchor, zone);
    }

    /**
     * The same clock reading {@code days} calendar days later: where the clock shows it twice, the anchor's
     * offset if it is one of the two (else the earlier); where a change skips it, as much later as the skip.
     */
    private static Instant calendarDaysLater(Instant anchor, long days, ZoneId zone) {
        ZoneRules rules = zone.getRules();
        ZoneOffset anchorOffset = rules.getOffset(anchor);
        LocalDateTime reading = LocalDateTime.ofEpochSecond(anchor.getEpochSecond(), anchor.getNano(), anchorOffset)
                .plusDays(days);
        List<ZoneOffset> offsets = rules.getValidOffsets(reading);
        if (offsets.size() == 1) {
            return reading.toInstant(offsets.get(0));
        }
        if (offsets.size() == 2) {
            return reading.toInstant(offsets.contains(anchorOffset) ? anchorOffset : offsets.get(0));
        }
        ZoneOffsetTransition skip = rules.getTransition(reading);
        return reading.plusSeconds(skip.getDuration().getSeconds()).toInstant(skip.getOffsetAfter());
    }

    /**
     * The first minute at or after {@code anchor} at which the clock shows the delay's time (on its weekday), or
     * at which the clock jumps over that reading (the first instant after a skip).
     */
    private static Instant nextReading(Delay.AtLocalTime delay, Instant anchor, ZoneId zone) {
        int target = minuteOfDay(delay.at());
        Instant t = ceilToMinute(anchor);
        LocalDateTime before = clock(t.minusSeconds(60), zone);
        for (int i = 0; i < 9 * 7 * 24 * 60; i++, t = t.plusSeconds(60)) {
            LocalDateTime now = clock(t, zone);
            if (minuteOfDay(now.toLocalTime()) == target && onDay(delay, now.getDayOfWeek())) {
                return t;
            }
            if (Duration.between(before, now).toMinutes() > 1) {
                // The clock jumped: was the reading among the minutes it skipped?
                for (LocalDateTime skipped = before.plusMinutes(1); skipped.isBefore(now); skipped = skipped.plusMinutes(1)) {
                    if (minuteOfDay(skipped.toLocalTime()) == target && onDay(delay, skipped.getDayOfWeek())) {
                        return t;
                    }
                }
            }
            before = now;
        }
        throw new AssertionError("no reading of " + delay + " within nine weeks of " + anchor);
    }

    private static boolean onDay(Delay.AtLocalTime delay, DayOfWeek day) {
        return delay.on().map(day::equals).orElse(true);
    }

    /** {@code due} itself when inside, else the first whole minute after it that is. */
    static Instant firstInside(SendWindow window, Instant due, ZoneId zone) {
        if (inside(window, due, zone)) {
            return due;
        }
        Instant t = due.truncatedTo(ChronoUnit.MINUTES).plusSeconds(60);
        for (int i = 0; i < 16 * 24 * 60; i++, t = t.plusSeconds(60)) {
            if (inside(window, t, zone)) {
                return t;
            }
        }
        throw new AssertionError("window " + window + " never opens within sixteen days of " + due);
    }

    /** Minutes of the day on the clock against the window's minutes; a window past midnight belongs to its first day. */
    static boolean inside(SendWindow window, Instant t, ZoneId zone) {
        LocalDateTime now = clock(t, zone);
        int minute = minuteOfDay(now.toLocalTime());
        int from = minuteOfDay(window.from());
        int to = minuteOfDay(window.to());
        Set<DayOfWeek> days = window.days();
        DayOfWeek today = now.getDayOfWeek();
        if (from == to) {
            return days.contains(today);
        }
        if (from < to) {
            return days.contains(today) && minute >= from && minute < to;
        }
        return days.contains(today) && minute >= from || days.contains(today.minus(1)) && minute < to;
    }

    private static LocalDateTime clock(Instant t, ZoneId zone) {
        return LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), zone.getRules().getOffset(t));
    }

    private static int minuteOfDay(LocalTime time) {
        return time.getHour() * 60 + time.getMinute();
    }

    private static Instant ceilToMinute(Instant t) {
        Instant down = t.truncatedTo(ChronoUnit.MINUTES);
        return down.equals(t) ? t : down.plusSeconds(60);
    }

    private static List<Instant> changes(ZoneId zone) {
        List<Instant> out = new ArrayList<>();
        for (ZoneOffsetTransition t = zone.getRules().nextTransition(FROM); t != null && t.getInstant().isBefore(UNTIL);
                t = zone.getRules().nextTransition(t.getInstant())) {
            out.add(t.getInstant());
        }
        return out;
    }

    // ---- what the properties range over ----

    @Provide
    Arbitrary<Moment> moments() {
        return Arbitraries.of(ZONES).flatMap(zone -> {
            List<Instant> changes = CHANGES.get(zone);
            Arbitrary<Instant> base = changes.isEmpty()
                    ? Arbitraries.longs().between(FROM.getEpochSecond(), UNTIL.getEpochSecond()).map(Instant::ofEpochSecond)
                    : Arbitraries.of(changes);
            Arbitrary<Long> offset = Arbitraries.frequencyOf(
                    Tuple.of(3, Arbitraries.longs().between(-3 * 3600, 3 * 3600)),
                    Tuple.of(1, Arbitraries.longs().between(-4 * 86400, 4 * 86400)));
            return Combinators.combine(base, offset).as((at, seconds) -> new Moment(zone, at.plusSeconds(seconds)));
        });
    }

    @Provide
    Arbitrary<ZoneId> otherZones() {
        return Arbitraries.of(ZONES);
    }

    @Provide
    Arbitrary<Delay> delays() {
        Arbitrary<Delay.Anchor> anchors = Arbitraries.of(Delay.Anchor.class);
        Arbitrary<Delay> spans = Combinators.combine(Arbitraries.of(DelayUnit.class), Arbitraries.longs().between(0, 200),
                anchors).as((unit, amount, anchor) -> new Delay.Span(unit == DelayUnit.SECONDS ? amount * 97 : amount,
                unit, anchor));
        Arbitrary<Delay> readings = Combinators.combine(times(), Arbitraries.of(DayOfWeek.class).optional(0.3), anchors)
                .as((at, on, anchor) -> new Delay.AtLocalTime(at, on, anchor));
        return Arbitraries.oneOf(spans, readings);
    }

    @Provide
    Arbitrary<Optional<SendWindow>> windows() {
        Arbitrary<Set<DayOfWeek>> days = Arbitraries.of(DayOfWeek.class).set().ofMinSize(1).ofMaxSize(7)
                .map(set -> (Set<DayOfWeek>) EnumSet.copyOf(set));
        return Combinators.combine(times(), times(), days).as(SendWindow::new).optional(0.7);
    }

    /** Clock times, often in the small hours, where clocks change. */
    private static Arbitrary<LocalTime> times() {
        Arbitrary<Integer> minutes = Arbitraries.of(0, 15, 30, 45, 59);
        return Arbitraries.frequencyOf(
                Tuple.of(2, Combinators.combine(Arbitraries.integers().between(0, 3), minutes).as(LocalTime::of)),
                Tuple.of(1, Combinators.combine(Arbitraries.integers().between(0, 23), Arbitraries.integers().between(0, 59))
                        .as(LocalTime::of)));
    }
}
