package io.sequencer.engine.channel;

import io.sequencer.domain.channel.ChannelConfig;
import java.util.Optional;

/**
 * Where a test send of a step goes: over {@code channel} (the step's own, or for a channel that posts to a URL, one
 * posting to the tester's), to {@code recipientId} where the channel addresses a recipient by id (a Messenger
 * page-scoped id), or to {@code email}.
 */
public record TestRecipient(ChannelConfig channel, Optional<String> recipientId, Optional<String> email) {
    public TestRecipient {
        if (channel == null || recipientId == null || email == null) {
            throw new IllegalArgumentException("channel, recipientId and email (possibly empty) are required");
        }
    }
}
