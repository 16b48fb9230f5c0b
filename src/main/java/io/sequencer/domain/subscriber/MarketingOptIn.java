package io.sequencer.domain.subscriber;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A subscriber's opt-in to Messenger Marketing Messages, as the page's {@code messaging_optins} webhook reported it:
 * the token that stands for them as a recipient outside the 24-hour window, when it expires, the frequency they
 * agreed to, whether they stopped the messages, and when it was reported ({@code reportedAt}: a report older than
 * the one kept changes nothing). {@code refused} is why Graph refused the token at a send, if it did: the token is
 * then unusable until a new opt-in brings another. The token is a credential: {@link #toString} leaves it out.
 */
public record MarketingOptIn(String token, Optional<Instant> expiresAt, Optional<Frequency> frequency, boolean stopped,
                             Instant reportedAt, Optional<String> refused) {
    /** Longest token kept; Meta's are far shorter. */
    public static final int MAX_TOKEN = 512;

    /** How often the subscriber agreed to get a marketing message ({@code notification_messages_frequency}). */
    public enum Frequency {
        DAILY, WEEKLY, MONTHLY;

        public static Optional<Frequency> fromWireName(String name) {
            for (Frequency f : values()) {
                if (f.name().equals(name)) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
    }

    /** What an opt-in event reports about the messages ({@code notification_messages_status}). */
    public enum Status {
        /** A new or refreshed opt-in: no status field. */
        OPTED_IN,
        STOP_NOTIFICATIONS,
        RESUME_NOTIFICATIONS;

        /** Meta's spelling, with an underscore or (as its reference writes it) a space. */
        public static Optional<Status> fromWireName(String name) {
            String normal = name.trim().toUpperCase(Locale.ROOT).replace(' ', '_');
            return normal.equals(STOP_NOTIFICATIONS.name()) ? Optional.of(STOP_NOTIFICATIONS)
                    : normal.equals(RESUME_NOTIFICATIONS.name()) ? Optional.of(RESUME_NOTIFICATIONS) : Optional.empty();
        }
    }

    /** How the token stands at a moment, the only thing about it that reports and timelines show. */
    public enum State {
        PRESENT, EXPIRED, STOPPED, REFUSED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public MarketingOptIn {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN || expiresAt == null || frequency == null
                || reportedAt == null || refused == null) {
            throw new IllegalArgumentException("a marketing opt-in needs its token (at most " + MAX_TOKEN
                    + " characters) and report time; the rest may be empty, not null");
        }
    }

    public State state(Instant now) {
        if (refused.isPresent()) {
            return State.REFUSED;
        }
        if (stopped) {
            return State.STOPPED;
        }
        return expiresAt.filter(at -> !now.isBefore(at)).isPresent() ? State.EXPIRED : State.PRESENT;
    }

    /** True when a marketing message may go to this token at {@code now}: not expired, stopped or refused. */
    public boolean usable(Instant now) {
        return state(now) == State.PRESENT;
    }

    /** The same opt-in, refused by Graph for {@code reason}, when {@code token} is still the one kept. */
    public MarketingOptIn refusedBecause(String refusedToken, String reason) {
        if (!token.equals(refusedToken) || refused.isPresent()) {
            return this;
        }
        return new MarketingOptIn(token, expiresAt, frequency, stopped, reportedAt, Optional.of(reason));
    }

    @Override
    public String toString() {
        return "MarketingOptIn[token=(" + token.length() + " characters), expiresAt=" + expiresAt + ", frequency="
                + frequency + ", stopped=" + stopped + ", reportedAt=" + reportedAt + ", refused=" + refused + "]";
    }
}
