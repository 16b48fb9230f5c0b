package io.sequencer.domain.broadcast;

import io.sequencer.domain.Ids;
import java.time.Instant;
import java.util.List;

/**
 * The queue message that sends a broadcast to a few subscribers due at the same time: keys only, at most
 * {@link #MAX} ids, so it stays far below the queue's 64 KiB.
 */
public record SendChunk(String account, String broadcastId, Instant dueAt, List<String> subscriberIds) {
    public static final int MAX = 25;

    public SendChunk {
        Ids.require("account", account);
        Ids.require("broadcastId", broadcastId);
        if (dueAt == null || subscriberIds == null || subscriberIds.isEmpty() || subscriberIds.size() > MAX) {
            throw new IllegalArgumentException("dueAt and 1 to " + MAX + " subscriber ids are required");
        }
        subscriberIds.forEach(id -> Ids.require("subscriberId", id));
        subscriberIds = List.copyOf(subscriberIds);
    }

    /** The same message for the subscribers from {@code index} on. */
    public SendChunk from(int index) {
        return new SendChunk(account, broadcastId, dueAt, subscriberIds.subList(index, subscriberIds.size()));
    }

    public static SendChunk one(String account, String broadcastId, Instant dueAt, String subscriberId) {
        return new SendChunk(account, broadcastId, dueAt, List.of(subscriberId));
    }
}
