package io.sequencer.adapters.json.stored;

import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.channel.webhook.WebhookConfig;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.channel.ChannelConfig;
import java.net.URI;

/**
 * A stored channel: its type, where it sends and the names (never the values) of its credentials. Read without the
 * request's checks of URLs, page ids or sender addresses: those were checked when the definition was accepted, and
 * the address guard checks every destination again at send time.
 */
final class StoredChannel {
    private StoredChannel() {}

    static ObjectNode write(ChannelConfig channel) {
        ObjectNode out = Json.object();
        if (channel instanceof WebhookConfig webhook) {
            out.put("type", "webhook");
            out.put("url", webhook.url().toString());
            webhook.secretSetting().ifPresent(s -> out.put("secretSetting", s));
            webhook.secret().ifPresent(s -> out.put("secret", s));
        } else if (channel instanceof MessengerConfig messenger) {
            out.put("type", "messenger");
            out.put("pageId", messenger.pageId());
            messenger.pageTokenSetting().ifPresent(s -> out.put("pageTokenSetting", s));
            messenger.pageToken().ifPresent(s -> out.put("pageToken", s));
            out.put("graphVersion", messenger.graphVersion());
        } else {
            SendGridConfig sendGrid = (SendGridConfig) channel;
            out.put("type", "sendgrid");
            sendGrid.apiKeySetting().ifPresent(s -> out.put("apiKeySetting", s));
            sendGrid.apiKey().ifPresent(s -> out.put("apiKey", s));
            out.put("from", sendGrid.fromEmail());
            sendGrid.fromName().ifPresent(n -> out.put("fromName", n));
        }
        return out;
    }

    static ChannelConfig read(StoredNode in) {
        String type = in.text("type");
        try {
            return switch (type) {
                case "webhook" -> new WebhookConfig(in.parsed("url", URI::create),
                        in.optionalText("secretSetting"), in.optionalText("secret"));
                case "messenger" -> new MessengerConfig(in.text("pageId"), in.optionalText("pageTokenSetting"),
                        in.optionalText("graphVersion").orElse(MessengerConfig.DEFAULT_GRAPH_VERSION),
                        in.optionalText("pageToken"));
                case "sendgrid" -> new SendGridConfig(in.optionalText("apiKeySetting"), in.text("from"),
                        in.optionalText("fromName"), in.optionalText("apiKey"));
                default -> throw in.invalid("type", "is not webhook, messenger or sendgrid: " + type);
            };
        } catch (IllegalArgumentException e) {
            throw in.unreadable(e);
        }
    }
}
