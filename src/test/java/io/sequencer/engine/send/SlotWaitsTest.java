package io.sequencer.engine.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Real-time waiting for a bulkhead slot, on real threads. */
class SlotWaitsTest {
    @Test
    void a_send_waiting_in_real_time_is_woken_when_woken_not_left_to_the_end_of_its_wait() throws Exception {
        Object monitor = new Object();
        CountDownLatch inWait = new CountDownLatch(1);
        AtomicBoolean woke = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            synchronized (monitor) {
                inWait.countDown();
                try {
                    SlotWaits.REAL_TIME.await(monitor, Duration.ofHours(1).toMillis());
                    woke.set(true);
                } catch (InterruptedException stillWaiting) {
                    // ended below: the assertion says why
                }
            }
        });
        waiter.start();
        inWait.await();
        synchronized (monitor) { // taken only once the waiter has let it go, that is, is waiting
            SlotWaits.REAL_TIME.wakeOne(monitor);
        }
        // The bound is not a measure: it only keeps a waiter that was not woken from holding the build for an hour.
        waiter.join(Duration.ofMinutes(1).toMillis());
        waiter.interrupt();
        waiter.join();
        assertThat(woke).as("woken, not still waiting out its hour").isTrue();
    }
}
