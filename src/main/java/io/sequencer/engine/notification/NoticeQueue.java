package io.sequencer.engine.notification;

import io.sequencer.domain.enrollment.EnrollmentKey;
import java.time.Duration;
import java.util.List;

/**
 * Port: signals that an enrollment's outbox holds events to deliver. A signal is written before the enrollment
 * write that fills the outbox, like a tick, so no event waits without one. It names the highest event number that
 * write holds, so that a dispatcher taking it before the write lands can tell, and wait for the write.
 */
public interface NoticeQueue {
    /** {@code upTo} of a signal that names no event (the older message form): any state of the outbox fulfils it. */
    long ANY = 0;

    /** {@code key}'s outbox will hold events up to number {@code upTo} once the write that follows lands. */
    void signal(EnrollmentKey key, long upTo);

    /** Up to {@code max} visible signals, each hidden for {@code lease} while it is worked on. */
    List<Signal> receive(int max, Duration lease);

    /** The signal's events are delivered (or gone): remove it. */
    void done(Signal signal);

    /** Delivery failed: show the signal again after {@code delay}. */
    void retryLater(Signal signal, Duration delay);

    /**
     * A received signal: the enrollment, the highest event number its write holds ({@link #ANY}: not said), how
     * often it was received, and the queue's handle on it.
     */
    record Signal(EnrollmentKey key, long upTo, long dequeueCount, String messageId, String popReceipt) {}
}
