package io.sequencer.domain.subscriber;

import java.util.Locale;
import java.util.Optional;

/** The kinds of subscriber event the host reports. The first four are engagement with one sent step. */
public enum EventType {
    DELIVERED,
    READ,
    CLICKED,
    REPLIED,
    /** Any other interaction with the page (a postback, a reaction, opening the conversation). */
    INTERACTED,
    /** A business goal reached (a purchase, a sign-up); {@code name} says which. */
    CONVERTED,
    /** A new subscriber of the account: starts its welcome sequences. */
    SUBSCRIBED,
    /**
     * The subscriber asked to receive the account's messages again, at the event's {@code at} (required): lifts an
     * opt-out made before then, and starts welcome sequences as {@link #SUBSCRIBED} does.
     */
    RESUBSCRIBED,
    /** A person from the page took over the conversation: Messenger steps wait. */
    AGENT_ACTIVE,
    /** The person handed the conversation back: Messenger steps resume after a pause. */
    AGENT_ENDED,
    /**
     * The page's {@code messaging_optins} webhook reported an opt-in to Marketing Messages, or its stop or resume:
     * carries an {@link OptInReport}.
     */
    OPTIN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<EventType> fromWireName(String name) {
        for (EventType type : values()) {
            if (type.wireName().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** Events that open Messenger's standard messaging window: the subscriber acted. */
    public boolean opensMessagingWindow() {
        return this == INTERACTED || this == REPLIED || this == CLICKED;
    }

    /** Events about the subscriber alone, which sequence rules (goals, waits, triggers) cannot name. */
    public boolean isSubscriberLevel() {
        return this == SUBSCRIBED || this == RESUBSCRIBED || this == AGENT_ACTIVE || this == AGENT_ENDED || this == OPTIN;
    }

    /** The engagement this event records on a step, for the four step-level kinds. */
    public Optional<Engagement> engagement() {
        return switch (this) {
            case DELIVERED -> Optional.of(Engagement.DELIVERED);
            case READ -> Optional.of(Engagement.READ);
            case CLICKED -> Optional.of(Engagement.CLICKED);
            case REPLIED -> Optional.of(Engagement.REPLIED);
            default -> Optional.empty();
        };
    }
}
