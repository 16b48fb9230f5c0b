package io.sequencer.domain.timer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimerRouteTest {
    private static final Duration HORIZON = Duration.ofMinutes(15);

    @Test
    void timers_within_the_horizon_go_to_the_triggered_queue_as_they_are() {
        assertThat(TimerRoute.of(Duration.ZERO, HORIZON)).isEqualTo(new TimerRoute.Near(Duration.ZERO));
        assertThat(TimerRoute.of(HORIZON, HORIZON)).isEqualTo(new TimerRoute.Near(HORIZON));
    }

    @Test
    void later_timers_are_parked_until_the_horizon_before_they_fire() {
        assertThat(TimerRoute.of(Duration.ofHours(2), HORIZON)).isEqualTo(new TimerRoute.Park(Duration.ofMinutes(105)));
    }

    @Test
    void parking_is_capped_at_seven_days_and_the_rest_is_a_later_hop() {
        assertThat(TimerRoute.of(Duration.ofDays(30), HORIZON)).isEqualTo(new TimerRoute.Park(TimerDelay.MAX_VISIBILITY));
    }

    @Test
    void a_zero_horizon_parks_everything_in_the_future() {
        assertThat(TimerRoute.of(Duration.ofSeconds(1), Duration.ZERO)).isEqualTo(new TimerRoute.Park(Duration.ofSeconds(1)));
    }
}
