package io.sequencer.domain.subscriber;

import io.sequencer.domain.subscriber.MarketingOptIn.Frequency;
import io.sequencer.domain.subscriber.MarketingOptIn.Status;
import java.time.Instant;
import java.util.Optional;

/**
 * What one {@code optin} event says about Marketing Messages: the token (the API requires it except on a stop, which
 * stops the token kept; the timeline keeps no token at all), its expiry, the frequency, and whether the subscriber
 * stopped or resumed the messages. The token is a credential: {@link #toString} leaves it out.
 */
public record OptInReport(Optional<String> token, Optional<Instant> expiresAt, Optional<Frequency> frequency,
                          Status status) {

    public OptInReport {
        if (token == null || expiresAt == null || frequency == null || status == null) {
            throw new IllegalArgumentException("fields may be empty, not null");
        }
    }

    /**
     * The opt-in kept after this report, made at {@code at}, over {@code kept}: a report older than the one kept
     * changes nothing; a stop stops the kept token (or the named one); a resume or a new opt-in makes a token usable
     * again, with what it reports of expiry and frequency (the kept ones where it says nothing of the same token).
     */
    public Optional<MarketingOptIn> applyTo(Optional<MarketingOptIn> kept, Instant at) {
        if (kept.isPresent() && at.isBefore(kept.get().reportedAt())) {
            return kept;
        }
        Optional<MarketingOptIn> same = kept.filter(k -> token.isEmpty() || token.get().equals(k.token()));
        if (token.isEmpty()) {
            // A stop or resume of the kept token; a new opt-in without its token says nothing usable.
            return status == Status.OPTED_IN ? kept : kept.map(k -> new MarketingOptIn(k.token(), k.expiresAt(),
                    k.frequency(), status == Status.STOP_NOTIFICATIONS, at,
                    status == Status.STOP_NOTIFICATIONS ? k.refused() : Optional.empty()));
        }
        String next = token.orElseThrow();
        return Optional.of(new MarketingOptIn(next,
                expiresAt.or(() -> same.flatMap(MarketingOptIn::expiresAt)),
                frequency.or(() -> same.flatMap(MarketingOptIn::frequency)),
                status == Status.STOP_NOTIFICATIONS, at,
                status == Status.STOP_NOTIFICATIONS ? same.flatMap(MarketingOptIn::refused) : Optional.empty()));
    }

    @Override
    public String toString() {
        return "OptInReport[token=" + (token.isPresent() ? "(given)" : "(none)") + ", expiresAt=" + expiresAt
                + ", frequency=" + frequency + ", status=" + status + "]";
    }
}
