package io.sequencer.engine.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.timer.TimerQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TimerQueue} must do; run against the in-memory queue and Azure Storage alike. Subclasses
 * say how to read what became visible and how to let time pass (a real wait only for the real queue).
 */
public abstract class TimerQueueContract {
    protected TimerQueue queue;

    protected abstract TimerQueue newQueue();

    /** Removes and returns the ticks visible now. */
    protected abstract List<Tick> takeVisible();

    protected abstract void pass(Duration time);

    /** How many ticks the queue holds, visible or not. */
    protected abstract long held();

    /** The clock the queue schedules by. */
    protected abstract Instant now();

    @BeforeEach
    void createQueue() {
        queue = newQueue();
    }

    protected static Tick tick(String subscriber) {
        return new Tick(new EnrollmentKey("acme", "welcome", subscriber), 2, 1, "s2",
                Instant.parse("2026-03-01T09:00:00.5Z"), "token-" + subscriber, 3, 1, 0);
    }

    @Test
    void a_tick_without_delay_is_visible_at_once_and_reads_back_equal() {
        queue.schedule(tick("ann"), now());
        assertThat(takeVisible()).containsExactly(tick("ann"));
    }

    @Test
    void a_delayed_tick_stays_hidden_until_its_delay_has_passed() {
        queue.schedule(tick("bob"), now().plusSeconds(2));
        assertThat(takeVisible()).isEmpty();
        pass(Duration.ofMillis(2500));
        assertThat(takeVisible()).containsExactly(tick("bob"));
    }

    @Test
    void a_fire_time_in_the_past_is_visible_at_once() {
        queue.schedule(tick("cy"), now().minusSeconds(30));
        assertThat(takeVisible()).containsExactly(tick("cy"));
    }

    @Test
    void a_fire_time_beyond_the_seven_day_reach_is_accepted_and_stays_hidden() {
        queue.schedule(tick("dan"), now().plus(Duration.ofDays(30)));
        assertThat(takeVisible()).isEmpty();
        assertThat(held()).as("kept, not dropped").isEqualTo(1);
    }
}
