package io.sequencer.adapters.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FigureTextTest {
    @Test
    void durations_read_in_their_two_largest_units_rounded_to_the_smaller() {
        assertThat(FigureText.duration(Duration.ofMillis(44))).isEqualTo("under 1 s");
        assertThat(FigureText.duration(Duration.ofMillis(600))).isEqualTo("1 s");
        assertThat(FigureText.duration(Duration.ofSeconds(42))).isEqualTo("42 s");
        assertThat(FigureText.duration(Duration.ofSeconds(12 * 60 + 5))).isEqualTo("12 min 5 s");
        assertThat(FigureText.duration(Duration.ofMinutes(12))).isEqualTo("12 min");
        assertThat(FigureText.duration(Duration.ofMinutes(90))).isEqualTo("1 h 30 min");
        assertThat(FigureText.duration(Duration.ofMinutes(90).plusSeconds(29))).isEqualTo("1 h 30 min");
        assertThat(FigureText.duration(Duration.ofDays(3).plusHours(4).plusMinutes(20))).isEqualTo("3 d 4 h");
    }

    @Test
    void a_duration_that_rounds_up_to_the_next_unit_says_so() {
        assertThat(FigureText.duration(Duration.ofMillis(59 * 60_000 + 59_600))).isEqualTo("1 h");
        assertThat(FigureText.duration(Duration.ofDays(3).plusHours(23).plusMinutes(40))).isEqualTo("4 d");
    }

    @Test
    void rates_are_percentages_with_one_decimal_and_a_dash_when_nothing_was_sent() {
        assertThat(FigureText.percent(Optional.of(0.4567))).isEqualTo("45.7%");
        assertThat(FigureText.percent(Optional.of(1.0))).isEqualTo("100.0%");
        assertThat(FigureText.percent(Optional.of(0.0))).isEqualTo("0.0%");
        assertThat(FigureText.percent(Optional.empty())).isEqualTo("–");
    }

    @Test
    void counts_group_their_digits_and_axis_labels_shorten_large_ones() {
        assertThat(FigureText.count(1_234_567)).isEqualTo("1,234,567");
        assertThat(FigureText.compact(9_500)).isEqualTo("9,500");
        assertThat(FigureText.compact(12_500)).isEqualTo("12.5k");
        assertThat(FigureText.compact(80_000)).isEqualTo("80k");
        assertThat(FigureText.compact(250_000)).isEqualTo("250k");
        assertThat(FigureText.compact(1_500_000)).isEqualTo("1.5M");
    }

    @Test
    void a_range_names_its_ends_or_says_all_time() {
        LocalDate may1 = LocalDate.of(2024, 5, 1);
        LocalDate may30 = LocalDate.of(2024, 5, 30);
        assertThat(FigureText.range(Optional.of(may1), Optional.of(may30))).isEqualTo("1 May 2024 – 30 May 2024");
        assertThat(FigureText.range(Optional.of(may1), Optional.of(may1))).isEqualTo("1 May 2024");
        assertThat(FigureText.range(Optional.of(may1), Optional.empty())).isEqualTo("from 1 May 2024");
        assertThat(FigureText.range(Optional.empty(), Optional.of(may30))).isEqualTo("until 30 May 2024");
        assertThat(FigureText.range(Optional.empty(), Optional.empty())).isEqualTo("all time");
    }
}
