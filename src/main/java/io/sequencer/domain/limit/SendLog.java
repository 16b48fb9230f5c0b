package io.sequencer.domain.limit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The recent sends to one subscriber that count against caps, one entry per delivery id: a retried send finds its
 * own entry and is not counted twice.
 */
public record SendLog(List<Entry> entries) {
    public static final SendLog EMPTY = new SendLog(List.of());

    /** One send: its delivery id, when it was let through, and its channel type. */
    public record Entry(String deliveryId, Instant at, String channel) {
        public Entry {
            if (deliveryId == null || deliveryId.isBlank() || at == null || channel == null || channel.isBlank()) {
                throw new IllegalArgumentException("deliveryId, at and channel are required");
            }
        }
    }

    public SendLog {
        entries = List.copyOf(entries);
    }

    public boolean has(String deliveryId) {
        return entries.stream().anyMatch(e -> e.deliveryId().equals(deliveryId));
    }

    /** This log with {@code entry} added, and without the entries older than {@code keep} before it. */
    public SendLog with(Entry entry, Duration keep) {
        Instant since = entry.at().minus(keep);
        List<Entry> kept = new ArrayList<>();
        for (Entry e : entries) {
            if (e.at().isAfter(since) && !e.deliveryId().equals(entry.deliveryId())) {
                kept.add(e);
            }
        }
        kept.add(entry);
        return new SendLog(kept);
    }

    /** This log without the entry of {@code deliveryId} (a send that never reached the receiver). */
    public SendLog without(String deliveryId) {
        return new SendLog(entries.stream().filter(e -> !e.deliveryId().equals(deliveryId)).toList());
    }
}
