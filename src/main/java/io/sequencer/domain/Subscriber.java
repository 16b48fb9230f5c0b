package io.sequencer.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A subscriber of an account: their profile, the sequences they were ever enrolled in (so a global opt-out or
 * an event without a sequence id can find every enrollment without scanning), and whether they opted out.
 */
public record Subscriber(
        String account,
        String id,
        Attributes attributes,
        Optional<ZoneId> timezone,
        List<String> sequences,
        boolean optedOut,
        Conversation conversation,
        Instant createdAt,
        Instant updatedAt) {

    /** Sequences one subscriber can be enrolled in over their life; far above any real account's use. */
    public static final int MAX_SEQUENCES = 1_000;

    public Subscriber {
        Ids.require("account", account);
        Ids.require("subscriberId", id);
        if (attributes == null || timezone == null || conversation == null || createdAt == null || updatedAt == null) {
            throw new IllegalArgumentException("attributes, timezone (possibly empty) and timestamps are required");
        }
        sequences = List.copyOf(sequences);
    }

    public static Subscriber create(String account, String id, Instant now) {
        return new Subscriber(account, id, Attributes.NONE, Optional.empty(), List.of(), false, Conversation.NONE, now, now);
    }

    public boolean isEnrolledIn(String sequenceId) {
        return sequences.contains(sequenceId);
    }

    /** This subscriber with the profile changes applied and, when given, a new time zone. */
    public Subscriber updated(Map<String, Optional<AttributeValue>> changes, Optional<ZoneId> newTimezone, Instant now) {
        return new Subscriber(account, id, attributes.updatedBy(changes), newTimezone.or(() -> timezone), sequences,
                optedOut, conversation, createdAt, now);
    }

    /** Remembers an enrollment in {@code sequenceId}. @throws IllegalStateException past {@link #MAX_SEQUENCES} */
    public Subscriber enrolledIn(String sequenceId, Instant now) {
        if (sequences.contains(sequenceId)) {
            return this;
        }
        if (sequences.size() >= MAX_SEQUENCES) {
            throw new IllegalStateException("subscriber " + id + " is already in " + MAX_SEQUENCES + " sequences");
        }
        List<String> all = new ArrayList<>(sequences);
        all.add(sequenceId);
        return new Subscriber(account, id, attributes, timezone, all, optedOut, conversation, createdAt, now);
    }

    public Subscriber withOptOut(boolean out, Instant now) {
        return new Subscriber(account, id, attributes, timezone, sequences, out, conversation, createdAt, now);
    }

    public Subscriber withConversation(Conversation next, Instant now) {
        return new Subscriber(account, id, attributes, timezone, sequences, optedOut, next, createdAt, now);
    }
}
