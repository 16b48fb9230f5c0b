package io.sequencer.engine.notification;

import io.sequencer.domain.enrollment.EnrollmentKey;
import java.time.Duration;
import java.util.List;

/**
 * Port: signals that an enrollment's outbox holds events to deliver. A signal is written before the enrollment
 * write that fills the outbox, like a tick, so no event waits without one; a signal finding an empty outbox is
 * simply done.
 */
public interface NoticeQueue {
    void signal(EnrollmentKey key);

    /** Up to {@code max} visible signals, each hidden for {@code lease} while it is worked on. */
    List<Signal> receive(int max, Duration lease);

    /** The signal's events are delivered (or gone): remove it. */
    void done(Signal signal);

    /** Delivery failed: show the signal again after {@code delay}. */
    void retryLater(Signal signal, Duration delay);

    /** A received signal: the enrollment, how often it was received, and the queue's handle on it. */
    record Signal(EnrollmentKey key, long dequeueCount, String messageId, String popReceipt) {}
}
