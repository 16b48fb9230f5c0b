package io.sequencer.channel.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.stored.StoredChannelForm;
import io.sequencer.adapters.json.stored.StoredNode;
import java.net.URI;

/** A stored webhook channel: {@code url}, and {@code secretSetting} or {@code secret} when it is signed. */
final class WebhookStoredForm implements StoredChannelForm<WebhookConfig> {
    @Override
    public String type() {
        return WebhookConfig.TYPE;
    }

    @Override
    public Class<WebhookConfig> config() {
        return WebhookConfig.class;
    }

    @Override
    public WebhookConfig read(StoredNode in) {
        return new WebhookConfig(in.parsed("url", URI::create), in.optionalText("secretSetting"),
                in.optionalText("secret"));
    }

    @Override
    public void write(WebhookConfig webhook, ObjectNode out) {
        out.put("url", webhook.url().toString());
        webhook.secretSetting().ifPresent(s -> out.put("secretSetting", s));
        webhook.secret().ifPresent(s -> out.put("secret", s));
    }
}
