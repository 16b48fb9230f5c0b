package io.sequencer.domain.timer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.enrollment.DeliveryId;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
    private final RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(10), Duration.ofMinutes(10), 5);
    private final DeliveryId id = new DeliveryId("dlv_0123");

    @Test
    void delays_double_from_the_base_with_at_most_twenty_percent_jitter() {
        for (int attempt = 1; attempt <= 4; attempt++) {
            Duration expected = Duration.ofSeconds(10L << (attempt - 1));
            assertThat(backoff.delayAfter(attempt, id, null))
                    .isBetween(expected, expected.plus(expected.dividedBy(5)));
        }
    }

    @Test
    void delays_stop_growing_at_the_cap() {
        assertThat(backoff.delayAfter(30, id, null)).isBetween(Duration.ofMinutes(10), Duration.ofMinutes(12));
    }

    @Test
    void the_same_delivery_and_attempt_always_wait_the_same() {
        assertThat(backoff.delayAfter(3, id, null)).isEqualTo(backoff.delayAfter(3, id, null));
    }

    @Test
    void a_longer_retry_after_from_the_server_wins() {
        assertThat(backoff.delayAfter(1, id, Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.delayAfter(3, id, Duration.ofSeconds(1))).isGreaterThanOrEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void a_retry_after_beyond_the_queue_cap_waits_seven_days_instead_of_failing() {
        assertThat(backoff.delayAfter(1, id, Duration.ofDays(10))).isEqualTo(TimerDelay.MAX_VISIBILITY);
    }

    @Test
    void retries_stop_after_the_last_attempt() {
        assertThat(backoff.mayRetryAfter(4)).isTrue();
        assertThat(backoff.mayRetryAfter(5)).isFalse();
    }

    @Test
    void waiting_for_a_commit_starts_at_a_second_and_is_capped_at_a_minute() {
        assertThat(RetryBackoff.waitForCommit(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(RetryBackoff.waitForCommit(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(RetryBackoff.waitForCommit(20)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void a_backoff_may_try_once_keep_a_flat_delay_and_cap_at_half_the_queues_visibility() {
        RetryBackoff flat = new RetryBackoff(Duration.ofSeconds(10), Duration.ofSeconds(10), 1);
        Duration halfVisibility = TimerDelay.MAX_VISIBILITY.dividedBy(2);

        assertThat(flat.mayRetryAfter(1)).isFalse();
        assertThat(new RetryBackoff(Duration.ofSeconds(10), halfVisibility, 8).cap()).isEqualTo(halfVisibility);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new RetryBackoff(Duration.ofSeconds(10), halfVisibility.plusSeconds(1), 8))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new RetryBackoff(Duration.ofSeconds(10), Duration.ofSeconds(9), 8))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new RetryBackoff(Duration.ofSeconds(10), Duration.ofSeconds(10), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
