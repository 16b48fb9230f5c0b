package io.sequencer.domain.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DelayTest {

    @Test
    void each_unit_converts_to_its_duration() {
        assertThat(Delay.of(90, DelayUnit.SECONDS).toDuration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(Delay.of(5, DelayUnit.MINUTES).toDuration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(Delay.of(36, DelayUnit.HOURS).toDuration()).isEqualTo(Duration.ofHours(36));
        assertThat(Delay.of(3, DelayUnit.DAYS).toDuration()).isEqualTo(Duration.ofDays(3));
        assertThat(Delay.of(0, DelayUnit.DAYS).toDuration()).isZero();
    }

    @Test
    void a_negative_amount_is_refused() {
        assertThatThrownBy(() -> Delay.of(-1, DelayUnit.SECONDS)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_delay_beyond_ten_years_is_refused_so_no_arithmetic_overflows() {
        assertThat(Delay.of(Delay.maxAmount(DelayUnit.DAYS), DelayUnit.DAYS).toDuration()).isEqualTo(Delay.MAX);
        assertThatThrownBy(() -> Delay.of(Delay.maxAmount(DelayUnit.SECONDS) + 1, DelayUnit.SECONDS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Delay.of(Long.MAX_VALUE, DelayUnit.DAYS)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void units_are_read_by_their_lower_case_wire_name_only() {
        assertThat(DelayUnit.fromWireName("hours")).contains(DelayUnit.HOURS);
        assertThat(DelayUnit.fromWireName("HOURS")).isEmpty();
        assertThat(DelayUnit.fromWireName("weeks")).isEmpty();
    }

    @Test
    void a_clock_time_shown_twice_by_a_fall_back_is_due_at_its_second_showing_when_the_anchor_lies_between() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        // 2026-10-25: at 03:00 CEST the clock goes back to 02:00 CET, so it shows 02:30 at 00:30Z and at 01:30Z.
        Delay atHalfPastTwo = new Delay.AtLocalTime(LocalTime.of(2, 30), Optional.empty(),
                Delay.Anchor.PREVIOUS);
        assertThat(atHalfPastTwo.endsAfter(Instant.parse("2026-10-25T00:00:00Z"), berlin))
                .isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        assertThat(atHalfPastTwo.endsAfter(Instant.parse("2026-10-25T01:00:00Z"), berlin))
                .as("02:00 CET, between the two showings: the clock still shows 02:30 half an hour later")
                .isEqualTo(Instant.parse("2026-10-25T01:30:00Z"));
    }
}
