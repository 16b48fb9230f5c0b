package io.sequencer.channel.webhook;

import io.sequencer.engine.channel.ChannelRules;

/** A webhook: no platform rules; the host's URL alone is its recipient. */
public final class WebhookRules implements ChannelRules<WebhookConfig> {
    @Override
    public Class<WebhookConfig> config() {
        return WebhookConfig.class;
    }

    /** The payload carries the subscriber's id only; nothing of the profile decides whether or where it goes. */
    @Override
    public boolean needsProfile() {
        return false;
    }
}
