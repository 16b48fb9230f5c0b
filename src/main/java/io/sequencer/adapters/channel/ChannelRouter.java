package io.sequencer.adapters.channel;

import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.engine.send.Channel;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;

/** The {@link Channel} port: hands each delivery to the adapter for its sequence's channel type. */
public final class ChannelRouter implements Channel {
    private final WebhookChannel webhook;
    private final MessengerChannel messenger;
    private final SendGridChannel sendGrid;

    public ChannelRouter(WebhookChannel webhook, MessengerChannel messenger, SendGridChannel sendGrid) {
        this.webhook = webhook;
        this.messenger = messenger;
        this.sendGrid = sendGrid;
    }

    @Override
    public SendResult send(ChannelConfig config, Delivery delivery) {
        if (config instanceof ChannelConfig.Webhook w) {
            return webhook.send(w, delivery);
        }
        if (config instanceof ChannelConfig.Messenger m) {
            return messenger.send(m, delivery);
        }
        if (config instanceof ChannelConfig.SendGrid g) {
            return sendGrid.send(g, delivery);
        }
        throw new IllegalArgumentException("no adapter for channel " + config.getClass().getSimpleName());
    }
}
