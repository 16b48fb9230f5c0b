package io.sequencer.engine.channel;

import io.sequencer.domain.Invalid;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.engine.send.SendGate.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What one channel type demands of a send beyond its configuration ({@link ChannelConfig}'s record): the checks a
 * message must pass before it goes, and which other channels reach the same recipient. One implementation per
 * channel type, in that channel's own package ({@code io.sequencer.channel.*}), handed to the engine in
 * {@link Channels} by the one registration of channel types.
 *
 * @param <C> the channel's configuration record
 */
public interface ChannelRules<C extends ChannelConfig> {

    /** The configuration record this channel type rules. */
    Class<C> config();

    /** Whether a send needs the subscriber's profile (its recipient, its messaging window): read before the checks. */
    default boolean needsProfile() {
        return true;
    }

    /**
     * Whether the message may go now, by this channel's platform rules; empty when nothing holds it. Asked before
     * {@link #recipient}.
     */
    default Optional<Verdict> hold(C channel, Message message) {
        return Optional.empty();
    }

    /** The recipient's address where the channel needs one from the profile, or why there is none. */
    default Verdict recipient(C channel, Optional<Subscriber> profile) {
        return new Verdict.Go(Optional.empty());
    }

    /**
     * Why {@code message}, a message's JSON text as its templates rendered it, cannot go on this channel (too long for
     * the platform, say); empty when it can. The API checked the message as written; this checks what it became.
     */
    default Optional<String> refuseRendered(C channel, String message) {
        return Optional.empty();
    }

    /**
     * Where a test send of a step on {@code channel} goes for the tester's {@code to}: a recipient of this type.
     * @throws Invalid naming {@code to} when it is none
     */
    default TestRecipient testRecipient(C channel, String to) {
        throw new Invalid("to", "this channel type takes no test sends");
    }

    /**
     * Whether a recipient that {@code failed} refused for good is refused by {@code other} too (same type): the
     * subscriber then leaves every sequence sending there. By default only the same configuration.
     */
    default boolean sameRecipient(C failed, C other) {
        return failed.equals(other);
    }

    /**
     * The message at hand: a step's (with the time its window opens from, whether a step held outside the window
     * looks again, and whether it goes as a marketing message outside it) or a broadcast's.
     */
    record Message(Optional<String> tag, Optional<Subscriber> profile, Instant windowFrom, boolean holdOutsideWindow,
                   Instant now, Duration agentHold, boolean marketingMessage) {
        public Message(Optional<String> tag, Optional<Subscriber> profile, Instant windowFrom, boolean holdOutsideWindow,
                       Instant now, Duration agentHold) {
            this(tag, profile, windowFrom, holdOutsideWindow, now, agentHold, false);
        }
    }
}
