package io.sequencer.domain.subscriber;

import io.sequencer.domain.Ids;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A subscriber of an account: their profile, the sequences they were ever enrolled in (so a global opt-out or
 * an event without a sequence id can find every enrollment without scanning), and when they opted out, if they
 * did: only a re-subscription they made after that lifts it (see {@link Resubscription}).
 */
public record Subscriber(
        String account,
        String id,
        Attributes attributes,
        Optional<ZoneId> timezone,
        List<String> sequences,
        Optional<Instant> optedOutAt,
        Conversation conversation,
        Instant createdAt,
        Instant updatedAt) {

    /** Sequences one subscriber can be enrolled in over their life; far above any real account's use. */
    public static final int MAX_SEQUENCES = 1_000;

    public Subscriber {
        Ids.require("account", account);
        Ids.require("subscriberId", id);
        if (attributes == null || timezone == null || optedOutAt == null || conversation == null || createdAt == null
                || updatedAt == null) {
            throw new IllegalArgumentException("attributes, timezone and opt-out (possibly empty) and timestamps are required");
        }
        sequences = List.copyOf(sequences);
    }

    public static Subscriber create(String account, String id, Instant now) {
        return new Subscriber(account, id, Attributes.NONE, Optional.empty(), List.of(), Optional.empty(),
                Conversation.NONE, now, now);
    }

    public boolean optedOut() {
        return optedOutAt.isPresent();
    }

    public boolean isEnrolledIn(String sequenceId) {
        return sequences.contains(sequenceId);
    }

    /** This subscriber with the profile changes applied and, when given, a new time zone. */
    public Subscriber updated(Map<String, Optional<AttributeValue>> changes, Optional<ZoneId> newTimezone, Instant now) {
        return new Subscriber(account, id, attributes.updatedBy(changes), newTimezone.or(() -> timezone), sequences,
                optedOutAt, conversation, createdAt, now);
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
        return new Subscriber(account, id, attributes, timezone, all, optedOutAt, conversation, createdAt, now);
    }

    /** Opted out as of {@code now}; a repeat moves the time on, so a re-subscription between the two does not lift it. */
    public Subscriber optingOut(Instant now) {
        return new Subscriber(account, id, attributes, timezone, sequences, Optional.of(now), conversation, createdAt, now);
    }

    /** No longer opted out: a {@link Resubscription} newer than the opt-out was made. */
    public Subscriber resubscribed(Instant now) {
        return new Subscriber(account, id, attributes, timezone, sequences, Optional.empty(), conversation, createdAt, now);
    }

    public Subscriber withConversation(Conversation next, Instant now) {
        return new Subscriber(account, id, attributes, timezone, sequences, optedOutAt, next, createdAt, now);
    }
}
