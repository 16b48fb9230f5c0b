package io.sequencer.channel.sendgrid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.ChannelForm;
import io.sequencer.adapters.json.ChannelJson;
import io.sequencer.adapters.json.FieldReader;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A SendGrid channel in the API: its API key's name and the sender; its messages are a dynamic template, or a
 * subject with text and/or HTML.
 */
final class SendGridApiForm implements ChannelForm<SendGridConfig> {
    private static final Set<String> FIELDS = Set.of("type", "apiKeySetting", "apiKey", "from", "fromName");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s<>\"]{1,64}@[^@\\s<>\"]{1,255}\\.[^@\\s<>\"]{1,63}");

    @Override
    public String type() {
        return SendGridConfig.TYPE;
    }

    @Override
    public Class<SendGridConfig> config() {
        return SendGridConfig.class;
    }

    @Override
    public SendGridConfig read(JsonNode node, FieldReader in) {
        in.rejectUnknown(node, "channel", FIELDS);
        ChannelJson.Credential key = ChannelJson.credential(node, "apiKeySetting", "apiKey", "channel.", true, in);
        String from = in.string(node, "from", "channel.from", true, 320);
        if (from != null && !EMAIL.matcher(from).matches()) {
            in.fail("channel.from", "must be an e-mail address such as news@example.com");
            from = null;
        }
        String fromName = in.string(node, "fromName", "channel.fromName", false, 200);
        return key == null || from == null ? null
                : new SendGridConfig(key.setting(), from, Optional.ofNullable(fromName), key.secret());
    }

    @Override
    public void write(SendGridConfig sendGrid, ObjectNode out) {
        sendGrid.apiKeySetting().ifPresent(s -> out.put("apiKeySetting", s));
        sendGrid.apiKey().ifPresent(s -> out.put("apiKey", s));
        out.put("from", sendGrid.fromEmail());
        sendGrid.fromName().ifPresent(n -> out.put("fromName", n));
    }

    @Override
    public void checkMessage(JsonNode message, String path, FieldReader in) {
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
}
