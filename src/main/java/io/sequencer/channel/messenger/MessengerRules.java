package io.sequencer.channel.messenger;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.subscriber.Conversation;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.domain.Ids;
import io.sequencer.domain.Invalid;
import io.sequencer.engine.channel.ChannelRules;
import io.sequencer.engine.channel.TestRecipient;
import io.sequencer.engine.send.SendGate.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Messenger's platform rules: a human conversation holds the message until a while after it ended; outside the
 * 24-hour standard messaging window (opened by the last interaction, or by the message's own start) an untagged
 * message goes as a Marketing Message when it may and the subscriber's opt-in token is usable, is held for a look
 * later when it may wait, else skipped. The recipient is the page-scoped id, so a block
 * reaches every sequence sending as the same page.
 */
public final class MessengerRules implements ChannelRules<MessengerConfig> {
    /** Reason recorded for a Messenger step that fell due outside the standard messaging window. */
    public static final String OUTSIDE_WINDOW = "outside_messaging_window";
    /**
     * Reason recorded for a step that would go as a marketing message outside the window when the subscriber has no
     * usable token (none, expired, stopped, or refused by Graph).
     */
    public static final String NO_MARKETING_TOKEN = "outside_messaging_window_no_marketing_token";
    /** How often a step held for the window looks again. */
    public static final Duration WINDOW_RECHECK = Duration.ofHours(1);

    @Override
    public Class<MessengerConfig> config() {
        return MessengerConfig.class;
    }

    @Override
    public Optional<Verdict> hold(MessengerConfig channel, Message message) {
        Instant now = message.now();
        Conversation conversation = message.profile().map(Subscriber::conversation).orElse(Conversation.NONE);
        Optional<Instant> heldUntil = conversation.agentHoldUntil(now, message.agentHold());
        if (heldUntil.isPresent()) {
            return Optional.of(new Verdict.Hold(heldUntil.get(), "a person from the page is talking with the subscriber"));
        }
        if (message.tag().isEmpty() && !conversation.windowOpen(now, message.windowFrom())) {
            if (message.marketingMessage()) {
                return Optional.of(conversation.marketingToken(now)
                        .<Verdict>map(token -> new Verdict.Go(Optional.empty(), Optional.of(token)))
                        .orElseGet(() -> new Verdict.Skip(NO_MARKETING_TOKEN)));
            }
            return Optional.of(message.holdOutsideWindow()
                    ? new Verdict.Hold(now.plus(WINDOW_RECHECK), "held until the subscriber interacts again")
                    : new Verdict.Skip(OUTSIDE_WINDOW));
        }
        return Optional.empty();
    }

    /** Messenger refuses a text message longer than this many characters. */
    public static final int MAX_TEXT = 2_000;

    @Override
    public Optional<String> refuseRendered(MessengerConfig channel, String message) {
        JsonNode text = Json.read(message).get("text");
        if (text != null && text.isTextual() && text.textValue().length() > MAX_TEXT) {
            return Optional.of("message.text renders " + text.textValue().length() + " characters; Messenger takes at most "
                    + MAX_TEXT);
        }
        return Optional.empty();
    }

    /** A test goes from the channel's page to the tester's page-scoped id ({@code to}), spelled as a subscriber id. */
    @Override
    public TestRecipient testRecipient(MessengerConfig channel, String to) {
        if (Ids.problemWith(to).isPresent()) {
            throw new Invalid("to", "must be the tester's page-scoped id (PSID) for a Messenger step: "
                    + Ids.problemWith(to).get());
        }
        return new TestRecipient(channel, Optional.of(to), Optional.empty());
    }

    @Override
    public boolean sameRecipient(MessengerConfig failed, MessengerConfig other) {
        return failed.pageId().equals(other.pageId());
    }
}
