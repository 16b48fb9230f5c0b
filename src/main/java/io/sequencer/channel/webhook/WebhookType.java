package io.sequencer.channel.webhook;

import io.sequencer.channel.ChannelType;
import io.sequencer.engine.channel.ChannelRules;

/** The Webhook channel type: the parts of it this package holds. */
public final class WebhookType implements ChannelType<WebhookConfig> {
    private final WebhookRules rules = new WebhookRules();

    @Override
    public String name() {
        return WebhookConfig.TYPE;
    }

    @Override
    public Class<WebhookConfig> config() {
        return WebhookConfig.class;
    }

    @Override
    public ChannelRules<WebhookConfig> rules() {
        return rules;
    }
}
