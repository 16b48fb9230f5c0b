package io.sequencer.engine.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.engine.notification.NoticeQueue;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link NoticeQueue} must do; run against the in-memory queue and an Azure storage queue alike.
 * Subclasses say how many messages the queue holds and how to let time pass (a real wait only for the real queue).
 */
public abstract class NoticeQueueContract {
    protected NoticeQueue queue;

    protected abstract NoticeQueue newQueue();

    /** Messages in the queue, hidden ones included. */
    protected abstract long depth();

    protected abstract void pass(Duration time);

    @BeforeEach
    void createQueue() {
        queue = newQueue();
    }

    protected static EnrollmentKey key(String subscriber) {
        return new EnrollmentKey("acme", "welcome", subscriber);
    }

    @Test
    void a_signal_reads_back_with_its_enrollment_and_the_last_event_of_its_write() {
        queue.signal(key("ann"), 7);
        List<NoticeQueue.Signal> taken = queue.receive(32, Duration.ofSeconds(30));
        assertThat(taken).singleElement().satisfies(s -> {
            assertThat(s.key()).isEqualTo(key("ann"));
            assertThat(s.upTo()).isEqualTo(7);
            assertThat(s.dequeueCount()).isEqualTo(1);
        });
    }

    @Test
    void a_taken_signal_stays_hidden_while_leased_and_is_gone_once_done() {
        queue.signal(key("bob"), 1);
        List<NoticeQueue.Signal> taken = queue.receive(32, Duration.ofSeconds(30));
        assertThat(queue.receive(32, Duration.ofSeconds(30))).isEmpty();
        queue.done(taken.get(0));
        assertThat(depth()).isZero();
    }

    @Test
    void a_signal_put_back_shows_again_after_its_delay_with_its_event_number_and_one_more_receive() {
        queue.signal(key("cy"), 3);
        queue.retryLater(queue.receive(32, Duration.ofSeconds(30)).get(0), Duration.ofSeconds(2));
        assertThat(queue.receive(32, Duration.ofSeconds(30))).isEmpty();
        pass(Duration.ofMillis(2500));
        assertThat(queue.receive(32, Duration.ofSeconds(30))).singleElement().satisfies(s -> {
            assertThat(s.key()).isEqualTo(key("cy"));
            assertThat(s.upTo()).isEqualTo(3);
            assertThat(s.dequeueCount()).isEqualTo(2);
        });
    }

    @Test
    void a_signal_whose_lease_ran_out_comes_back_so_a_dispatcher_that_died_loses_nothing() {
        queue.signal(key("dan"), 2);
        assertThat(queue.receive(32, Duration.ofSeconds(2))).hasSize(1);
        pass(Duration.ofMillis(2500));
        assertThat(queue.receive(32, Duration.ofSeconds(30))).extracting(NoticeQueue.Signal::key)
                .containsExactly(key("dan"));
    }

    @Test
    void signals_of_one_enrollment_are_kept_apart_each_with_its_own_event_number() {
        queue.signal(key("eve"), 4);
        queue.signal(key("eve"), 5);
        assertThat(queue.receive(32, Duration.ofSeconds(30))).extracting(NoticeQueue.Signal::upTo)
                .containsExactlyInAnyOrder(4L, 5L);
        assertThat(depth()).isEqualTo(2);
    }
}
