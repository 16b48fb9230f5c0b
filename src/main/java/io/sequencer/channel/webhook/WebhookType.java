package io.sequencer.channel.webhook;

import io.sequencer.adapters.channel.ChannelSender;
import io.sequencer.adapters.json.ChannelForm;
import io.sequencer.adapters.json.stored.StoredChannelForm;
import io.sequencer.channel.ChannelType;
import io.sequencer.channel.SenderKit;
import io.sequencer.engine.channel.ChannelRules;

/** The webhook channel type: POSTs each message, signed, to a URL of the tenant's own. */
public final class WebhookType implements ChannelType<WebhookConfig> {
    private final WebhookRules rules = new WebhookRules();
    private final WebhookApiForm form = new WebhookApiForm();
    private final WebhookStoredForm storedForm = new WebhookStoredForm();

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

    @Override
    public ChannelForm<WebhookConfig> form() {
        return form;
    }

    @Override
    public StoredChannelForm<WebhookConfig> storedForm() {
        return storedForm;
    }

    @Override
    public ChannelSender<WebhookConfig> sender(SenderKit kit) {
        return new WebhookChannel(kit.http(), kit.appSecrets(), kit.accountSecrets(), kit.clock());
    }
}
