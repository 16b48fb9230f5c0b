package io.sequencer.testing;

import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.engine.notification.NoticeQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** In-memory {@link NoticeQueue} on a clock: leases hide messages, receipts change on every receive. */
public final class InMemoryNoticeQueue implements NoticeQueue {
    private final Clock clock;
    private final Map<String, Message> messages = new LinkedHashMap<>();

    public InMemoryNoticeQueue(Clock clock) {
        this.clock = clock;
    }

    private static final class Message {
        final EnrollmentKey key;
        final long upTo;
        Instant visibleAt;
        long dequeueCount;
        String receipt = "";

        Message(EnrollmentKey key, long upTo, Instant visibleAt) {
            this.key = key;
            this.upTo = upTo;
            this.visibleAt = visibleAt;
        }
    }

    @Override
    public synchronized void signal(EnrollmentKey key, long upTo) {
        messages.put(UUID.randomUUID().toString(), new Message(key, upTo, clock.instant()));
    }

    @Override
    public synchronized List<Signal> receive(int max, Duration lease) {
        List<Signal> out = new ArrayList<>();
        Instant now = clock.instant();
        for (Map.Entry<String, Message> entry : messages.entrySet()) {
            Message m = entry.getValue();
            if (out.size() < max && !m.visibleAt.isAfter(now)) {
                m.dequeueCount++;
                m.visibleAt = now.plus(lease);
                m.receipt = UUID.randomUUID().toString();
                out.add(new Signal(m.key, m.upTo, m.dequeueCount, entry.getKey(), m.receipt));
            }
        }
        return out;
    }

    @Override
    public synchronized void done(Signal signal) {
        Message m = messages.get(signal.messageId());
        if (m != null && m.receipt.equals(signal.popReceipt())) {
            messages.remove(signal.messageId());
        }
    }

    @Override
    public synchronized void retryLater(Signal signal, Duration delay) {
        Message m = messages.get(signal.messageId());
        if (m != null && m.receipt.equals(signal.popReceipt())) {
            m.visibleAt = clock.instant().plus(delay);
        }
    }

    public synchronized int size() {
        return messages.size();
    }

    /** When the next hidden signal shows again, if any. */
    public synchronized Optional<Instant> nextVisibleAt() {
        return messages.values().stream().map(m -> m.visibleAt).min(Instant::compareTo);
    }
}
