package io.sequencer.engine.subscriber;

import java.time.Clock;

/**
 * Marks a subscriber's Messenger Marketing Messages token unusable once Graph refused it for good (invalid, expired
 * or stopped), so later marketing messages skip straight to their policy for a closed window instead of asking
 * Graph again. Only the token refused is marked: a newer opt-in reported meanwhile keeps its own.
 */
public final class MarketingTokens {
    private MarketingTokens() {}

    /** Records that {@code token} was refused for {@code reason}; true when the profile changed. */
    public static boolean refuse(SubscriberStore store, Clock clock, String account, String subscriberId, String token,
                                 String reason) {
        return ProfileWrite.apply(store, clock, account, subscriberId, false, (stored, base, now) -> stored.isEmpty()
                ? base : base.withConversation(base.conversation().marketingRefused(token, reason), now)).written();
    }
}
