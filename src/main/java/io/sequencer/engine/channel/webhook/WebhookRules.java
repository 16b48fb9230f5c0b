package io.sequencer.engine.channel.webhook;

import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.engine.channel.ChannelRules;

/** A webhook: no platform rules; the host's URL alone is its recipient. */
public final class WebhookRules implements ChannelRules<ChannelConfig.Webhook> {
    @Override
    public Class<ChannelConfig.Webhook> config() {
        return ChannelConfig.Webhook.class;
    }
}
