package io.sequencer.domain.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.webhook.WebhookConfig;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Spans and clock-time delays on the subscriber's clock, across daylight-saving changes. */
class DelayRulesTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void a_day_is_a_calendar_day_so_the_clock_time_survives_a_dst_change() {
        Instant saturdayNine = Instant.parse("2026-03-28T08:00:00Z"); // 09:00 CET; clocks go forward on Sunday
        assertThat(Delay.of(1, DelayUnit.DAYS).endsAfter(saturdayNine, BERLIN))
                .isEqualTo(Instant.parse("2026-03-29T07:00:00Z")); // 09:00 CEST, 23 hours later
        assertThat(Delay.of(24, DelayUnit.HOURS).endsAfter(saturdayNine, BERLIN))
                .isEqualTo(Instant.parse("2026-03-29T08:00:00Z")); // hours are exact
    }

    @Test
    void at_a_clock_time_means_the_next_time_the_subscribers_clock_shows_it() {
        Delay nine = new Delay.AtLocalTime(LocalTime.of(9, 0), Optional.empty(), Delay.Anchor.PREVIOUS);
        assertThat(nine.endsAfter(Instant.parse("2026-06-10T05:00:00Z"), BERLIN)) // 07:00 local
                .isEqualTo(Instant.parse("2026-06-10T07:00:00Z"));
        assertThat(nine.endsAfter(Instant.parse("2026-06-10T09:00:00Z"), BERLIN)) // 11:00 local
                .isEqualTo(Instant.parse("2026-06-11T07:00:00Z"));
        assertThat(nine.endsAfter(Instant.parse("2026-06-10T07:00:00Z"), BERLIN)) // exactly 09:00
                .isEqualTo(Instant.parse("2026-06-10T07:00:00Z"));
    }

    @Test
    void on_a_weekday_at_a_clock_time_means_the_next_such_day() {
        Delay mondayNine = new Delay.AtLocalTime(LocalTime.of(9, 0), Optional.of(DayOfWeek.MONDAY), Delay.Anchor.PREVIOUS);
        Instant wednesday = Instant.parse("2026-06-10T12:00:00Z");
        assertThat(mondayNine.endsAfter(wednesday, NEW_YORK)).isEqualTo(Instant.parse("2026-06-15T13:00:00Z"));
        Instant mondayTen = Instant.parse("2026-06-15T14:00:00Z");
        assertThat(mondayNine.endsAfter(mondayTen, NEW_YORK)).isEqualTo(Instant.parse("2026-06-22T13:00:00Z"));
    }

    @Test
    void a_clock_time_skipped_by_spring_forward_is_taken_as_the_end_of_the_gap() {
        Delay twoThirty = new Delay.AtLocalTime(LocalTime.of(2, 30), Optional.empty(), Delay.Anchor.PREVIOUS);
        Instant saturdayNoon = Instant.parse("2026-03-07T17:00:00Z"); // 12:00 EST the day before the gap
        assertThat(twoThirty.endsAfter(Instant.parse("2026-03-08T05:00:00Z"), NEW_YORK)) // 00:00 EST, gap at 02:00
                .isEqualTo(Instant.parse("2026-03-08T07:00:00Z")); // 03:00 EDT
        assertThat(twoThirty.endsAfter(saturdayNoon, NEW_YORK)).isEqualTo(Instant.parse("2026-03-08T07:00:00Z"));
    }

    @Test
    void a_clock_time_repeated_by_fall_back_is_taken_once_at_its_first_occurrence() {
        Delay oneThirty = new Delay.AtLocalTime(LocalTime.of(1, 30), Optional.empty(), Delay.Anchor.PREVIOUS);
        assertThat(oneThirty.endsAfter(Instant.parse("2026-11-01T04:00:00Z"), NEW_YORK)) // 00:00 EDT
                .isEqualTo(Instant.parse("2026-11-01T05:30:00Z")); // 01:30 EDT, not 01:30 EST
    }

    @Test
    void next_send_time_counts_from_enrollment_when_asked_and_then_waits_for_the_window() {
        Step step = new Step("s", new Delay.Span(2, DelayUnit.DAYS, Delay.Anchor.ENROLLMENT), "{}");
        Sequence sequence = Sequence.create("acme", "seq", new SequenceDraft("n", List.of(step),
                new WebhookConfig(URI.create("http://h/x"), Optional.empty()), Optional.of(BERLIN),
                Optional.of(new SendWindow(LocalTime.of(10, 0), LocalTime.of(12, 0), SendWindow.EVERY_DAY))),
                Instant.EPOCH);
        Instant enrolled = Instant.parse("2026-06-01T06:00:00Z"); // 08:00 Berlin
        Instant previous = Instant.parse("2026-06-02T20:00:00Z");
        assertThat(NextSendTime.of(step, sequence, previous, enrolled, Optional.empty()))
                .isEqualTo(Instant.parse("2026-06-03T08:00:00Z")); // June 3, 08:00 → window opens 10:00 Berlin
        assertThat(NextSendTime.of(step, sequence, previous, enrolled, Optional.of(ZoneId.of("Asia/Tokyo"))))
                .as("the subscriber's zone wins over the sequence's")
                .isEqualTo(Instant.parse("2026-06-04T01:00:00Z")); // June 3 15:00 Tokyo → June 4 10:00 Tokyo
    }
}
