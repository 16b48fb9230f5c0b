package io.sequencer.testing;

import io.sequencer.domain.broadcast.FanOutPage;
import io.sequencer.domain.broadcast.SendChunk;
import io.sequencer.domain.timer.TimerDelay;
import io.sequencer.engine.broadcast.BroadcastQueue;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * In-memory broadcast queues on a test clock: each message hides until its time, rounded up to a second, or for
 * 7 days when that is later, as a storage queue does. Page and send messages share one ordered list.
 */
public final class InMemoryBroadcastQueue implements BroadcastQueue {
    /** A queued message: a {@link FanOutPage} or a {@link SendChunk}. */
    public record Message(Object body, Instant visibleAt, long sequence) {}

    private final Clock clock;
    private final List<Message> messages = new ArrayList<>();
    private long sequence;

    public InMemoryBroadcastQueue(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void fanOut(FanOutPage page, Instant at) {
        add(page, at);
    }

    @Override
    public synchronized void send(SendChunk chunk, Instant at) {
        add(chunk, at);
    }

    private void add(Object body, Instant at) {
        Instant now = clock.instant();
        messages.add(new Message(body, now.plus(TimerDelay.until(now, at)), sequence++));
    }

    /** Removes and returns the earliest message visible now. */
    public synchronized Optional<Object> takeNextVisible() {
        Instant now = clock.instant();
        Optional<Message> next = messages.stream().filter(m -> !m.visibleAt().isAfter(now))
                .min(Comparator.comparing(Message::visibleAt).thenComparingLong(Message::sequence));
        next.ifPresent(messages::remove);
        return next.map(Message::body);
    }

    public synchronized Optional<Instant> nextVisibleAt() {
        return messages.stream().map(Message::visibleAt).min(Comparator.naturalOrder());
    }

    public synchronized List<Message> pending() {
        return List.copyOf(messages);
    }
}
