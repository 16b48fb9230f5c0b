package io.sequencer.adapters.json;

import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.channel.webhook.WebhookConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.channel.ChannelConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a channel between the HTTP API's JSON and {@link ChannelConfig}, validating every field, for sequences and
 * broadcasts alike; with the checks that a message is what its channel can send, and the credentials (an app
 * setting or an account secret, never a value) and webhook URLs that notification settings name the same way.
 */
final class ChannelJson {
    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z0-9_]{1,128}");
    private static final Set<String> WEBHOOK = Set.of("type", "url", "secretSetting", "secret");
    private static final Set<String> MESSENGER = Set.of("type", "pageId", "pageTokenSetting", "pageToken", "graphVersion");
    private static final Set<String> SENDGRID = Set.of("type", "apiKeySetting", "apiKey", "from", "fromName");
    private static final Pattern PAGE_ID = Pattern.compile("[0-9]{1,32}");
    private static final Pattern GRAPH_VERSION = Pattern.compile("v?([0-9]{1,3}\\.[0-9]{1,3})");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s<>\"]{1,64}@[^@\\s<>\"]{1,255}\\.[^@\\s<>\"]{1,63}");

    private ChannelJson() {}

    /** Checks that {@code message} (a JSON object) is what {@code channel} can send. */
    static void checkMessageFits(JsonNode message, ChannelConfig channel, String path, FieldReader in) {
        if (channel instanceof MessengerConfig && !message.hasNonNull("text") && !message.hasNonNull("attachment")) {
            in.fail(path, "must be a Send API message object with text or attachment");
        } else if (channel instanceof SendGridConfig) {
            checkEmailMessage(message, path, in);
        }
    }

    private static void checkEmailMessage(JsonNode message, String path, FieldReader in) {
        if (message.has("templateId")) {
            in.rejectUnknown(message, path, Set.of("templateId", "dynamicTemplateData", "subject"));
            in.string(message, "templateId", path + ".templateId", true, 128);
            JsonNode data = message.get("dynamicTemplateData");
            if (data != null && !data.isNull() && !data.isObject()) {
                in.fail(path + ".dynamicTemplateData", "must be a JSON object");
            }
            return;
        }
        in.rejectUnknown(message, path, Set.of("subject", "text", "html"));
        in.string(message, "subject", path + ".subject", true, 998);
        String text = in.string(message, "text", path + ".text", false, 100_000);
        String html = in.string(message, "html", path + ".html", false, 200_000);
        if (text == null && html == null && !in.hasErrors()) {
            in.fail(path, "needs templateId, or subject with text and/or html");
        }
    }

    /** The channel object at {@code channel}, or null after recording its problems. */
    static ChannelConfig channel(JsonNode node, FieldReader in) {
        if (in.object(node, "channel", true) == null) {
            return null;
        }
        String type = in.string(node, "type", "channel.type", true, 32);
        if (type == null) {
            return null;
        }
        switch (type) {
            case "webhook" -> {
                in.rejectUnknown(node, "channel", WEBHOOK);
                String url = in.string(node, "url", "channel.url", true, 2048);
                Credential signing = credential(node, "secretSetting", "secret", "channel.", false, in);
                URI uri = url == null ? null : webhookUrl(url, "channel.url", in);
                return uri == null || signing == null ? null
                        : new WebhookConfig(uri, signing.setting(), signing.secret());
            }
            case "messenger" -> {
                in.rejectUnknown(node, "channel", MESSENGER);
                String pageId = in.string(node, "pageId", "channel.pageId", true, 32);
                if (pageId != null && !PAGE_ID.matcher(pageId).matches()) {
                    in.fail("channel.pageId", "must be the page's numeric id");
                    pageId = null;
                }
                Credential token = credential(node, "pageTokenSetting", "pageToken", "channel.", true, in);
                String version = in.string(node, "graphVersion", "channel.graphVersion", false, 16);
                Matcher matched = version == null ? null : GRAPH_VERSION.matcher(version);
                if (matched != null && !matched.matches()) {
                    in.fail("channel.graphVersion", "must be a Graph API version such as 21.0");
                    return null;
                }
                return pageId == null || token == null ? null : new MessengerConfig(pageId, token.setting(),
                        matched == null ? MessengerConfig.DEFAULT_GRAPH_VERSION : matched.group(1), token.secret());
            }
            case "sendgrid" -> {
                in.rejectUnknown(node, "channel", SENDGRID);
                Credential key = credential(node, "apiKeySetting", "apiKey", "channel.", true, in);
                String from = in.string(node, "from", "channel.from", true, 320);
                if (from != null && !EMAIL.matcher(from).matches()) {
                    in.fail("channel.from", "must be an e-mail address such as news@example.com");
                    from = null;
                }
                String fromName = in.string(node, "fromName", "channel.fromName", false, 200);
                return key == null || from == null ? null
                        : new SendGridConfig(key.setting(), from, Optional.ofNullable(fromName), key.secret());
            }
            default -> {
                in.fail("channel.type", "must be one of webhook, messenger, sendgrid");
                return null;
            }
        }
    }

    /** A credential named one of two ways: an app setting, or a secret of the account's own. */
    record Credential(Optional<String> setting, Optional<String> secret) {}

    /**
     * The app setting ({@code settingField}) or account secret ({@code secretField}) a credential is named by: one of
     * them (when {@code required}) and never both. Null, with the problem recorded, when that does not hold.
     */
    static Credential credential(JsonNode node, String settingField, String secretField, String prefix,
                                 boolean required, FieldReader in) {
        boolean namesSecret = node.hasNonNull(secretField);
        String setting = settingName(node, settingField, prefix + settingField, required && !namesSecret, in);
        String secret = namesSecret ? in.id(node, secretField, prefix + secretField) : null;
        if (setting != null && namesSecret) {
            in.fail(prefix + secretField, "name " + secretField + " or " + settingField + ", not both");
            return null;
        }
        if (setting == null && secret == null) {
            return required || namesSecret || node.hasNonNull(settingField) ? null
                    : new Credential(Optional.empty(), Optional.empty());
        }
        return new Credential(Optional.ofNullable(setting), Optional.ofNullable(secret));
    }

    /** The name of an app setting (never its value), required or not, checked at {@code path}. */
    private static String settingName(JsonNode node, String field, String path, boolean required, FieldReader in) {
        String name = in.string(node, field, path, required, 128);
        if (name != null && !SETTING_NAME.matcher(name).matches()) {
            in.fail(path, "must be an app setting name: letters, digits and '_'");
            return null;
        }
        return name;
    }

    /** The optional name of the app setting holding a signing secret, checked at {@code path}. */
    static String secretSetting(JsonNode node, String path, FieldReader in) {
        return settingName(node, "secretSetting", path, false, in);
    }

    /** {@code url} when it is an absolute http(s) URL without credentials; else null, with the problem on {@code path}. */
    static URI webhookUrl(String url, String path, FieldReader in) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                in.fail(path, "must be an absolute http or https URL");
                return null;
            }
            if (okhttp3.HttpUrl.parse(url) == null || uri.getPort() == 0 || uri.getPort() > 65535) {
                in.fail(path, "is not a valid http or https URL");
                return null;
            }
            if (uri.getUserInfo() != null) {
                in.fail(path, "must not carry credentials; use secretSetting to sign requests");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            in.fail(path, "is not a valid URL");
            return null;
        }
    }

    static ObjectNode writeChannel(ChannelConfig channel) {
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
        } else if (channel instanceof SendGridConfig sendGrid) {
            out.put("type", "sendgrid");
            sendGrid.apiKeySetting().ifPresent(s -> out.put("apiKeySetting", s));
            sendGrid.apiKey().ifPresent(s -> out.put("apiKey", s));
            out.put("from", sendGrid.fromEmail());
            sendGrid.fromName().ifPresent(n -> out.put("fromName", n));
        }
        return out;
    }
}
