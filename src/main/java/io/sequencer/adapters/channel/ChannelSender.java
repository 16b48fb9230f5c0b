package io.sequencer.adapters.channel;

import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;
import java.util.Optional;

/**
 * Sends a delivery on one channel type's wire: its platform's HTTP request, and how the platform's answer maps to
 * a {@link SendResult}. Each channel type has one, in its own package; {@link ChannelRouter} hands each delivery to
 * the sender of its channel's type.
 *
 * @param <C> the channel's configuration record
 */
public interface ChannelSender<C extends ChannelConfig> {

    Class<C> config();

    SendResult send(C config, Delivery delivery);

    /** The JSON body {@link #send} would post for {@code delivery}, made without sending; empty when none. */
    default Optional<String> requestBody(C config, Delivery delivery) {
        return Optional.empty();
    }
}
