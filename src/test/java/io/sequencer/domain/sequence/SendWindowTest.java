package io.sequencer.domain.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The send-window rule, checked by example and as a property: over random zones (with and without daylight
 * saving, including Lord Howe's 30-minute shift), windows, days and instants clustered around DST changes,
 * the opening found is the one {@link DueTimeReferenceTest}'s minute-by-minute reading of the clock finds.
 */
class SendWindowTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final List<ZoneId> ZONES = List.of(NEW_YORK, ZoneId.of("Europe/Berlin"),
            ZoneId.of("Australia/Lord_Howe"), ZoneId.of("Asia/Tokyo"), ZoneId.of("Asia/Kolkata"));
    private static final SendWindow OFFICE_HOURS = new SendWindow(LocalTime.of(9, 0), LocalTime.of(18, 0),
            EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));

    @Test
    void a_step_due_inside_the_window_goes_at_once() {
        Instant wednesdayNoon = Instant.parse("2026-06-10T16:00:00Z"); // 12:00 in New York
        assertThat(OFFICE_HOURS.nextOpening(wednesdayNoon, NEW_YORK)).isEqualTo(wednesdayNoon);
    }

    @Test
    void a_step_due_at_night_waits_for_the_subscribers_morning() {
        Instant wednesdayLate = Instant.parse("2026-06-11T02:00:00Z"); // 22:00 Wednesday in New York
        assertThat(OFFICE_HOURS.nextOpening(wednesdayLate, NEW_YORK)).isEqualTo(Instant.parse("2026-06-11T13:00:00Z"));
        assertThat(OFFICE_HOURS.nextOpening(wednesdayLate, ZoneId.of("Asia/Tokyo")))
                .as("11:00 Thursday in Tokyo is open").isEqualTo(wednesdayLate);
    }

    @Test
    void a_step_due_on_friday_evening_waits_for_monday() {
        Instant fridayEvening = Instant.parse("2026-06-12T23:00:00Z"); // 19:00 Friday in New York
        assertThat(OFFICE_HOURS.nextOpening(fridayEvening, NEW_YORK)).isEqualTo(Instant.parse("2026-06-15T13:00:00Z"));
    }

    @Test
    void a_window_crossing_midnight_belongs_to_the_day_it_opens() {
        SendWindow fridayNight = new SendWindow(LocalTime.of(22, 0), LocalTime.of(6, 0), EnumSet.of(DayOfWeek.FRIDAY));
        ZoneId utc = ZoneId.of("UTC");
        assertThat(fridayNight.contains(Instant.parse("2026-06-12T23:30:00Z"), utc)).isTrue();  // Fri 23:30
        assertThat(fridayNight.contains(Instant.parse("2026-06-13T05:59:00Z"), utc)).isTrue();  // Sat 05:59
        assertThat(fridayNight.contains(Instant.parse("2026-06-13T06:00:00Z"), utc)).isFalse(); // Sat 06:00
        assertThat(fridayNight.contains(Instant.parse("2026-06-13T23:00:00Z"), utc)).isFalse(); // Sat 23:00
        assertThat(fridayNight.contains(Instant.parse("2026-06-12T03:00:00Z"), utc)).isFalse(); // Fri 03:00 (Thursday's)
        assertThat(fridayNight.nextOpening(Instant.parse("2026-06-13T07:00:00Z"), utc))
                .isEqualTo(Instant.parse("2026-06-19T22:00:00Z"));
    }

    @Test
    void equal_from_and_to_means_the_whole_day() {
        SendWindow weekends = new SendWindow(LocalTime.of(0, 0), LocalTime.of(0, 0),
                EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY));
        assertThat(weekends.nextOpening(Instant.parse("2026-06-10T12:00:00Z"), ZoneId.of("UTC")))
                .isEqualTo(Instant.parse("2026-06-13T00:00:00Z"));
    }

    @Test
    void a_window_opening_in_a_spring_forward_gap_opens_when_the_clock_jumps_into_it() {
        SendWindow early = new SendWindow(LocalTime.of(2, 30), LocalTime.of(4, 0), SendWindow.EVERY_DAY);
        Instant oneAmEst = Instant.parse("2026-03-08T06:00:00Z"); // 01:00 EST; at 02:00 clocks jump to 03:00 EDT
        assertThat(early.nextOpening(oneAmEst, NEW_YORK)).isEqualTo(Instant.parse("2026-03-08T07:00:00Z"));
    }

    @Test
    void a_window_inside_a_fall_back_hour_opens_again_on_the_repeated_hour() {
        SendWindow repeated = new SendWindow(LocalTime.of(1, 15), LocalTime.of(1, 45), SendWindow.EVERY_DAY);
        Instant firstPassLate = Instant.parse("2026-11-01T05:50:00Z"); // 01:50 EDT; at 02:00 EDT clocks go back to 01:00 EST
        assertThat(repeated.nextOpening(firstPassLate, NEW_YORK)).isEqualTo(Instant.parse("2026-11-01T06:15:00Z"));
    }

    @Test
    void openings_are_never_early_always_inside_and_the_earliest_possible() {
        Random random = new Random(4711);
        for (int i = 0; i < 1_500; i++) {
            ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
            SendWindow window = randomWindow(random);
            Instant due = randomInstantNearTransitions(zone, random);
            Instant opening = window.nextOpening(due, zone);
            String what = window + " in " + zone + " from " + due;
            assertThat(opening).as(what).isAfterOrEqualTo(due);
            assertThat(opening).as(what).isEqualTo(DueTimeReferenceTest.firstInside(window, due, zone));
        }
    }

    private static SendWindow randomWindow(Random random) {
        LocalTime from = LocalTime.of(random.nextInt(24), random.nextInt(4) * 15 + (random.nextInt(5) == 0 ? 7 : 0));
        LocalTime to = random.nextInt(10) == 0 ? from : LocalTime.of(random.nextInt(24), random.nextInt(60));
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (random.nextInt(3) > 0) {
                days.add(d);
            }
        }
        if (days.isEmpty()) {
            days.add(DayOfWeek.of(1 + random.nextInt(7)));
        }
        return new SendWindow(from, to, days);
    }

    private static Instant randomInstantNearTransitions(ZoneId zone, Random random) {
        List<ZoneOffsetTransition> transitions = new ArrayList<>();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        for (ZoneOffsetTransition t = zone.getRules().nextTransition(start);
             t != null && t.getInstant().isBefore(Instant.parse("2028-01-01T00:00:00Z"));
             t = zone.getRules().nextTransition(t.getInstant())) {
            transitions.add(t);
        }
        Instant base = transitions.isEmpty() || random.nextInt(4) == 0
                ? start.plusSeconds((long) (random.nextDouble() * 2 * 365 * 86400))
                : transitions.get(random.nextInt(transitions.size())).getInstant();
        return base.plusSeconds(random.nextInt(6 * 86400) - 3 * 86400).plusMillis(random.nextInt(1000));
    }

    @Test
    void a_weekly_window_whose_hour_a_spring_forward_skips_opens_the_week_after() {
        SendWindow sundayTwoAm = new SendWindow(LocalTime.of(2, 0), LocalTime.of(3, 0), Set.of(DayOfWeek.SUNDAY));
        // New York, Sunday 2011-03-13: 02:00 EST jumps to 03:00 EDT, so that Sunday has no 02:00-03:00.
        assertThat(sundayTwoAm.nextOpening(Instant.parse("2011-03-12T04:59:59Z"), NEW_YORK))
                .isEqualTo(Instant.parse("2011-03-20T06:00:00Z"));
    }
}
