package io.sequencer.domain.subscriber;

import io.sequencer.domain.Invalid;
import java.time.Duration;
import java.time.Instant;

/**
 * A subscriber's explicit request to receive the account's messages again after an opt-out, and when they made it
 * ({@code at}, the host's word, given in the request field {@code field}). Only one made after the opt-out lifts
 * it, so a request repeated by a retry, or arriving late, never undoes a newer opt-out.
 */
public record Resubscription(Instant at, String field) {
    /**
     * How far ahead of the server's clock {@code at} may be (the host's clock may run a little fast). A time further
     * ahead is refused: it would outlast every opt-out made until then, so a late repeat could undo one.
     */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(1);

    public Resubscription {
        if (at == null || field == null) {
            throw new IllegalArgumentException("a re-subscription needs its time and the field that gave it");
        }
    }

    /** This one, when {@code at} is not in the future as seen at {@code now}. @throws Invalid naming the field */
    public Resubscription checkedAt(Instant now) {
        if (at.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            throw new Invalid(field, "is in the future; give the time the subscriber asked to receive messages again");
        }
        return this;
    }

    /** True when this re-subscription lifts {@code subscriber}'s opt-out: it was made after it (or there is none). */
    public boolean lifts(Subscriber subscriber) {
        return subscriber.optedOutAt().map(at::isAfter).orElse(true);
    }
}
