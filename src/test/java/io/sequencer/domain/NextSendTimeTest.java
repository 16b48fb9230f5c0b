package io.sequencer.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The due-time rule as a property over random delays (spans in every unit, clock times, weekdays, both
 * anchors), windows, zones and instants around DST changes: the result is never before the delay's end, always
 * inside the window, and the earliest such instant. Seeded, so any failure reproduces.
 */
class NextSendTimeTest {
    private static final List<ZoneId> ZONES = List.of(ZoneId.of("America/New_York"), ZoneId.of("Europe/Berlin"),
            ZoneId.of("Australia/Lord_Howe"), ZoneId.of("Asia/Tokyo"));
    private static final ChannelConfig HOOK = new ChannelConfig.Webhook(URI.create("http://h/x"), Optional.empty());

    @Test
    void due_times_are_never_early_always_inside_the_window_and_minimal() {
        Random random = new Random(20261128L);
        for (int i = 0; i < 1_000; i++) {
            ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
            Delay delay = randomDelay(random);
            Optional<SendWindow> window = random.nextInt(5) == 0 ? Optional.empty() : Optional.of(randomWindow(random));
            Step step = new Step("s", delay, "{}");
            Sequence sequence = Sequence.create("acme", "seq",
                    new SequenceDraft("n", List.of(step), HOOK, Optional.of(zone), window), Instant.EPOCH);
            Instant enrolled = Instant.parse("2026-02-20T00:00:00Z").plusSeconds(random.nextInt(330 * 86400));
            Instant previous = enrolled.plusSeconds(random.nextInt(20 * 86400));
            Instant anchor = delay.from() == Delay.Anchor.ENROLLMENT ? enrolled : previous;
            Instant delayEnds = delay.endsAfter(anchor, zone);

            Instant due = NextSendTime.of(step, sequence, previous, enrolled, Optional.empty());
            String what = delay + " " + window + " in " + zone + " anchored at " + anchor;
            assertThat(delayEnds).as(what).isAfterOrEqualTo(anchor);
            assertThat(due).as(what).isAfterOrEqualTo(delayEnds);
            if (window.isEmpty()) {
                assertThat(due).as(what).isEqualTo(delayEnds);
            } else {
                assertThat(window.get().contains(due, zone)).as(what).isTrue();
                assertThat(due).as(what).isEqualTo(SendWindowTest.firstMinuteInside(window.get(), delayEnds, zone));
            }
        }
    }

    private static Delay randomDelay(Random random) {
        Delay.Anchor anchor = random.nextBoolean() ? Delay.Anchor.PREVIOUS : Delay.Anchor.ENROLLMENT;
        if (random.nextInt(3) == 0) {
            Optional<DayOfWeek> on = random.nextBoolean() ? Optional.of(DayOfWeek.of(1 + random.nextInt(7))) : Optional.empty();
            return new Delay.AtLocalTime(LocalTime.of(random.nextInt(24), random.nextInt(60)), on, anchor);
        }
        DelayUnit unit = DelayUnit.values()[random.nextInt(DelayUnit.values().length)];
        long amount = switch (unit) {
            case SECONDS -> random.nextInt(100_000);
            case MINUTES -> random.nextInt(20_000);
            case HOURS -> random.nextInt(2_000);
            case DAYS -> random.nextInt(60);
        };
        return new Delay.Span(amount, unit, anchor);
    }

    private static SendWindow randomWindow(Random random) {
        LocalTime from = LocalTime.of(random.nextInt(24), random.nextInt(60));
        LocalTime to = random.nextInt(10) == 0 ? from : LocalTime.of(random.nextInt(24), random.nextInt(60));
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (random.nextBoolean()) {
                days.add(d);
            }
        }
        if (days.isEmpty()) {
            days.add(DayOfWeek.SUNDAY);
        }
        return new SendWindow(from, to, days);
    }
}
