package io.sequencer.domain.subscriber;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the Messenger rules need to know of a subscriber's conversation with the page: when they last
 * interacted (opening the 24-hour standard messaging window), and whether a person from the page is talking
 * with them (sequence steps then wait), and their opt-in to Marketing Messages, if any. Every field only moves
 * forward in time, so late or repeated reports change nothing.
 */
public record Conversation(Optional<Instant> lastInteractionAt, Optional<Instant> agentActiveSince,
                           Optional<Instant> agentEndedAt, Optional<MarketingOptIn> marketing) {
    /** Messenger's standard messaging window. */
    static final Duration STANDARD_WINDOW = Duration.ofHours(24);
    public static final Conversation NONE = new Conversation(Optional.empty(), Optional.empty(), Optional.empty());

    public Conversation {
        if (lastInteractionAt == null || agentActiveSince == null || agentEndedAt == null || marketing == null) {
            throw new IllegalArgumentException("fields may be empty, not null");
        }
    }

    /** A conversation without a marketing opt-in. */
    public Conversation(Optional<Instant> lastInteractionAt, Optional<Instant> agentActiveSince,
                        Optional<Instant> agentEndedAt) {
        this(lastInteractionAt, agentActiveSince, agentEndedAt, Optional.empty());
    }

    public Conversation interacted(Instant at) {
        return new Conversation(latest(lastInteractionAt, at), agentActiveSince, agentEndedAt, marketing);
    }

    public Conversation agentActive(Instant at) {
        return new Conversation(lastInteractionAt, latest(agentActiveSince, at), agentEndedAt, marketing);
    }

    public Conversation agentEnded(Instant at) {
        return new Conversation(lastInteractionAt, agentActiveSince, latest(agentEndedAt, at), marketing);
    }

    /** With the opt-in {@code report} made at {@code at} applied ({@link OptInReport#applyTo}). */
    public Conversation optedIn(OptInReport report, Instant at) {
        return new Conversation(lastInteractionAt, agentActiveSince, agentEndedAt, report.applyTo(marketing, at));
    }

    /** With the marketing token {@code token} refused by Graph for {@code reason} (if it is still the one kept). */
    public Conversation marketingRefused(String token, String reason) {
        return new Conversation(lastInteractionAt, agentActiveSince, agentEndedAt,
                marketing.map(m -> m.refusedBecause(token, reason)));
    }

    /** The marketing token a message may be sent to at {@code now}, if there is a usable one. */
    public Optional<String> marketingToken(Instant now) {
        return marketing.filter(m -> m.usable(now)).map(MarketingOptIn::token);
    }

    /** True while a person from the page talks with the subscriber (began, and not ended since). */
    public boolean agentActive() {
        return agentActiveSince.isPresent()
                && agentEndedAt.map(ended -> ended.isBefore(agentActiveSince.get())).orElse(true);
    }

    /** When steps may go out again after a human conversation, if they must still wait at {@code now}. */
    public Optional<Instant> agentHoldUntil(Instant now, Duration afterEnd) {
        if (agentActive()) {
            return Optional.of(now.plus(AGENT_RECHECK));
        }
        return agentEndedAt.map(ended -> ended.plus(afterEnd)).filter(until -> until.isAfter(now));
    }

    /** How often a step waiting for an open-ended human conversation looks again. */
    static final Duration AGENT_RECHECK = Duration.ofMinutes(5);

    /** True when a standard (untagged) message may be sent at {@code now}; {@code enrolledAt} counts as interaction. */
    public boolean windowOpen(Instant now, Instant enrolledAt) {
        Instant last = latest(lastInteractionAt, enrolledAt).orElseThrow();
        return now.isBefore(last.plus(STANDARD_WINDOW));
    }

    private static Optional<Instant> latest(Optional<Instant> current, Instant candidate) {
        return Optional.of(current.filter(c -> c.isAfter(candidate)).orElse(candidate));
    }
}
