package io.sequencer.adapters.channel;

import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.channel.webhook.WebhookConfig;
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
        if (config instanceof WebhookConfig w) {
            return webhook.send(w, delivery);
        }
        if (config instanceof MessengerConfig m) {
            return messenger.send(m, delivery);
        }
        if (config instanceof SendGridConfig g) {
            return sendGrid.send(g, delivery);
        }
        throw new IllegalArgumentException("no adapter for channel " + config.getClass().getSimpleName());
    }
}
