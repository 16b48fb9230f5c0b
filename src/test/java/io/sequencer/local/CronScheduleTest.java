package io.sequencer.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

    @Test
    void every_fifteen_seconds_fires_on_the_quarter_minutes() {
        CronSchedule schedule = CronSchedule.parse("*/15 * * * * *");
        assertThat(schedule.next(Instant.parse("2026-03-01T09:00:00Z"))).isEqualTo(Instant.parse("2026-03-01T09:00:15Z"));
        assertThat(schedule.next(Instant.parse("2026-03-01T09:00:59.5Z"))).isEqualTo(Instant.parse("2026-03-01T09:01:00Z"));
    }

    @Test
    void ranges_lists_and_weekdays_are_honoured() {
        CronSchedule weekdayMornings = CronSchedule.parse("0 30 9 * * 1-5");
        assertThat(weekdayMornings.next(Instant.parse("2026-03-06T10:00:00Z"))) // a Friday, after 09:30
                .isEqualTo(Instant.parse("2026-03-09T09:30:00Z"));                // the next Monday
        CronSchedule twice = CronSchedule.parse("0 0 6,18 * * *");
        assertThat(twice.next(Instant.parse("2026-03-01T07:00:00Z"))).isEqualTo(Instant.parse("2026-03-01T18:00:00Z"));
    }

    @Test
    void a_malformed_schedule_is_refused() {
        assertThatThrownBy(() -> CronSchedule.parse("* * * * *")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CronSchedule.parse("61 * * * * *")).isInstanceOf(IllegalArgumentException.class);
    }
}
