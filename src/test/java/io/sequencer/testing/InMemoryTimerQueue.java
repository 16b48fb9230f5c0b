package io.sequencer.testing;

import io.sequencer.domain.timer.Tick;
import io.sequencer.domain.timer.TimerDelay;
import io.sequencer.engine.timer.TimerQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An in-memory timer queue on a test clock: a tick becomes visible {@code delay} after it was scheduled, and
 * is taken with {@link #takeNextVisible()}; one whose handler failed can be put back, as the queue would.
 */
public final class InMemoryTimerQueue implements TimerQueue {
    /** A message in the queue. {@code sequence} keeps FIFO order among equally visible messages. */
    public record Message(Tick tick, Instant visibleAt, long sequence) {}

    private final Clock clock;
    private final List<Message> messages = new ArrayList<>();
    private long sequence;

    public InMemoryTimerQueue(Clock clock) {
        this.clock = clock;
    }

    /** Hidden until {@code fireAt} rounded up to a second, or for 7 days when that is later, as a storage queue. */
    @Override
    public synchronized void schedule(Tick tick, Instant fireAt) {
        messages.add(new Message(tick, clock.instant().plus(TimerDelay.until(clock.instant(), fireAt)), sequence++));
    }

    /** Removes and returns the earliest message visible now, if any. */
    public synchronized Optional<Tick> takeNextVisible() {
        Instant now = clock.instant();
        Optional<Message> next = messages.stream().filter(m -> !m.visibleAt().isAfter(now))
                .min(Comparator.comparing(Message::visibleAt).thenComparingLong(Message::sequence));
        next.ifPresent(messages::remove);
        return next.map(Message::tick);
    }

    /** When the earliest message becomes visible, if there is one. */
    public synchronized Optional<Instant> nextVisibleAt() {
        return messages.stream().map(Message::visibleAt).min(Comparator.naturalOrder());
    }

    /** Puts a message back as the queue does after a failed handler: visible again after {@code delay}. */
    public synchronized void redeliver(Tick tick, Duration delay) {
        messages.add(new Message(tick, clock.instant().plus(delay), sequence++));
    }

    public synchronized List<Message> pending() {
        return List.copyOf(messages);
    }
}
