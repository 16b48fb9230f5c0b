package io.sequencer.engine.send;

import io.sequencer.domain.channel.ChannelConfig;
import java.util.Optional;

/** Port: sends one delivery over the channel a sequence names. Never throws for a failed send: it says so. */
public interface Channel {
    SendResult send(ChannelConfig config, Delivery delivery);

    /**
     * The body of the request {@link #send} would make for {@code delivery}, built without sending (no secret is
     * read, nothing leaves); empty when the channel cannot tell it.
     */
    default Optional<String> requestBody(ChannelConfig config, Delivery delivery) {
        return Optional.empty();
    }
}
