package io.sequencer.domain.timer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimerDelayTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void a_step_due_now_or_in_the_past_is_visible_at_once() {
        assertThat(TimerDelay.until(NOW, NOW)).isZero();
        assertThat(TimerDelay.until(NOW, NOW.minusSeconds(30))).isZero();
    }

    @Test
    void fractions_of_a_second_round_up_so_a_timer_never_fires_early() {
        assertThat(TimerDelay.until(NOW, NOW.plusMillis(1))).isEqualTo(Duration.ofSeconds(1));
        assertThat(TimerDelay.until(NOW, NOW.plusMillis(2500))).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void a_step_due_after_the_seven_day_cap_waits_seven_days_then_hops() {
        Instant due = NOW.plus(Duration.ofDays(30));
        Duration first = TimerDelay.until(NOW, due);
        assertThat(first).isEqualTo(Duration.ofDays(7));
        Instant wake = NOW.plus(first);
        assertThat(TimerDelay.isEarly(wake, due)).isTrue();
        assertThat(TimerDelay.until(wake, due)).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void hops_reach_any_due_time_within_a_second_and_never_early() {
        Random random = new Random(20261128);
        for (int i = 0; i < 5_000; i++) {
            long seconds = i < 3 ? new long[] {0, 7 * 86400, 3650L * 86400}[i] : (long) (random.nextDouble() * 3650 * 86400);
            hopsReach(seconds, random.nextInt(1000));
        }
    }

    private static void hopsReach(long seconds, long millis) {
        Instant due = NOW.plusSeconds(seconds).plusMillis(millis);
        Instant wake = NOW;
        int hops = 0;
        while (TimerDelay.isEarly(wake, due)) {
            Duration delay = TimerDelay.until(wake, due);
            assertThat(delay).isPositive().isLessThanOrEqualTo(TimerDelay.MAX_VISIBILITY);
            wake = wake.plus(delay);
            hops++;
        }
        assertThat(wake).isAfterOrEqualTo(due).isBefore(due.plusSeconds(1));
        assertThat(hops).isLessThanOrEqualTo((int) (seconds / TimerDelay.MAX_VISIBILITY.getSeconds()) + 1);
    }
}
