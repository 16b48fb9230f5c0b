package io.sequencer.testing;

import io.sequencer.domain.subscriber.TimelineEntry;
import io.sequencer.domain.subscriber.TimelinePosition;
import io.sequencer.engine.event.EventLog;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** In-memory {@link EventLog}: each subscriber's events by position; held to the same contract as the table. */
public final class InMemoryEventLog implements EventLog {
    private final Map<String, NavigableMap<TimelinePosition, TimelineEntry.Reported>> bySubscriber = new ConcurrentHashMap<>();

    @Override
    public void append(String account, String subscriberId, List<TimelineEntry.Reported> events) {
        for (TimelineEntry.Reported reported : events) {
            if (!reported.event().subscriberId().equals(subscriberId)) {
                throw new IllegalArgumentException("an event of " + reported.event().subscriberId() + " is not " + subscriberId + "'s");
            }
        }
        NavigableMap<TimelinePosition, TimelineEntry.Reported> log =
                bySubscriber.computeIfAbsent(key(account, subscriberId), k -> new ConcurrentSkipListMap<>());
        events.forEach(reported -> log.put(reported.position(), reported));
    }

    @Override
    public int erase(String account, String subscriberId) {
        NavigableMap<TimelinePosition, TimelineEntry.Reported> log = bySubscriber.remove(key(account, subscriberId));
        return log == null ? 0 : log.size();
    }

    @Override
    public List<TimelineEntry.Reported> read(String account, String subscriberId, Optional<TimelinePosition> after,
                                             int limit) {
        NavigableMap<TimelinePosition, TimelineEntry.Reported> log =
                bySubscriber.getOrDefault(key(account, subscriberId), new ConcurrentSkipListMap<>());
        return (after.isPresent() ? log.tailMap(after.get(), false) : log).values().stream().limit(limit).toList();
    }

    private static String key(String account, String subscriberId) {
        return account + "\n" + subscriberId;
    }
}
