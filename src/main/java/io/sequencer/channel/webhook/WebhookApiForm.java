package io.sequencer.channel.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.ChannelForm;
import io.sequencer.adapters.json.ChannelJson;
import io.sequencer.adapters.json.FieldReader;
import java.net.URI;
import java.util.Set;

/** A webhook channel in the API: its URL and the name of its signing secret, if it is signed. */
final class WebhookApiForm implements ChannelForm<WebhookConfig> {
    private static final Set<String> FIELDS = Set.of("type", "url", "secretSetting", "secret");

    @Override
    public String type() {
        return WebhookConfig.TYPE;
    }

    @Override
    public Class<WebhookConfig> config() {
        return WebhookConfig.class;
    }

    @Override
    public WebhookConfig read(JsonNode node, FieldReader in) {
        in.rejectUnknown(node, "channel", FIELDS);
        String url = in.string(node, "url", "channel.url", true, 2048);
        ChannelJson.Credential signing = ChannelJson.credential(node, "secretSetting", "secret", "channel.", false, in);
        URI uri = url == null ? null : ChannelJson.webhookUrl(url, "channel.url", in);
        return uri == null || signing == null ? null : new WebhookConfig(uri, signing.setting(), signing.secret());
    }

    @Override
    public void write(WebhookConfig webhook, ObjectNode out) {
        out.put("url", webhook.url().toString());
        webhook.secretSetting().ifPresent(s -> out.put("secretSetting", s));
        webhook.secret().ifPresent(s -> out.put("secret", s));
    }
}
