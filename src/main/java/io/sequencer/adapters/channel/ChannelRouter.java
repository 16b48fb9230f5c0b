package io.sequencer.adapters.channel;

import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.engine.send.Channel;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@link Channel} port: hands each delivery to the sender of its channel's type. */
public final class ChannelRouter implements Channel {
    private final Map<Class<? extends ChannelConfig>, ChannelSender<?>> senders = new LinkedHashMap<>();

    public ChannelRouter(List<? extends ChannelSender<?>> senders) {
        for (ChannelSender<?> sender : senders) {
            if (this.senders.put(sender.config(), sender) != null) {
                throw new IllegalArgumentException("two senders for channel " + sender.config().getSimpleName());
            }
        }
    }

    @Override
    public SendResult send(ChannelConfig config, Delivery delivery) {
        return senderOf(config).send(config, delivery);
    }

    @Override
    public Optional<String> requestBody(ChannelConfig config, Delivery delivery) {
        return senderOf(config).requestBody(config, delivery);
    }

    @SuppressWarnings("unchecked")
    private <C extends ChannelConfig> ChannelSender<C> senderOf(C config) {
        ChannelSender<?> sender = senders.get(config.getClass());
        if (sender == null) {
            throw new IllegalArgumentException("no sender for channel " + config.getClass().getSimpleName());
        }
        return (ChannelSender<C>) sender;
    }
}
