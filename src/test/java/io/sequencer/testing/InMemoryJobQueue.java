package io.sequencer.testing;

import io.sequencer.domain.timer.TimerDelay;
import io.sequencer.engine.job.JobPage;
import io.sequencer.engine.job.JobQueue;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** In-memory job page queue on a test clock: each message hides until its time, rounded up to a second. */
public final class InMemoryJobQueue implements JobQueue {
    private record Message(JobPage page, Instant visibleAt, long sequence) {}

    private final Clock clock;
    private final List<Message> messages = new ArrayList<>();
    private long sequence;

    public InMemoryJobQueue(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void page(JobPage page, Instant at) {
        Instant now = clock.instant();
        messages.add(new Message(page, now.plus(TimerDelay.until(now, at)), sequence++));
    }

    /** Removes and returns the earliest message visible now. */
    public synchronized Optional<JobPage> takeNextVisible() {
        Instant now = clock.instant();
        Optional<Message> next = messages.stream().filter(m -> !m.visibleAt().isAfter(now))
                .min(Comparator.comparing(Message::visibleAt).thenComparingLong(Message::sequence));
        next.ifPresent(messages::remove);
        return next.map(Message::page);
    }

    /** Puts a message back, visible at once (a delivery whose handler failed). */
    public synchronized void putBack(JobPage page) {
        messages.add(new Message(page, clock.instant(), sequence++));
    }

    public synchronized Optional<Instant> nextVisibleAt() {
        return messages.stream().map(Message::visibleAt).min(Comparator.naturalOrder());
    }

    public synchronized int size() {
        return messages.size();
    }
}
