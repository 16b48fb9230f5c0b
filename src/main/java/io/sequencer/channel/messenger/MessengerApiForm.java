package io.sequencer.channel.messenger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.ChannelForm;
import io.sequencer.adapters.json.ChannelJson;
import io.sequencer.adapters.json.FieldReader;
import io.sequencer.domain.template.MessageTemplate;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Messenger channel in the API: the page, its token's name and the Graph API version (with or without its
 * {@code v}); its messages are Send API message objects, and may carry a message tag.
 */
final class MessengerApiForm implements ChannelForm<MessengerConfig> {
    private static final Set<String> FIELDS = Set.of("type", "pageId", "pageTokenSetting", "pageToken", "graphVersion");
    private static final Pattern PAGE_ID = Pattern.compile("[0-9]{1,32}");
    private static final Pattern GRAPH_VERSION = Pattern.compile("v?([0-9]{1,3}\\.[0-9]{1,3})");

    @Override
    public String type() {
        return MessengerConfig.TYPE;
    }

    @Override
    public Class<MessengerConfig> config() {
        return MessengerConfig.class;
    }

    @Override
    public MessengerConfig read(JsonNode node, FieldReader in) {
        in.rejectUnknown(node, "channel", FIELDS);
        String pageId = in.string(node, "pageId", "channel.pageId", true, 32);
        if (pageId != null && !PAGE_ID.matcher(pageId).matches()) {
            in.fail("channel.pageId", "must be the page's numeric id");
            pageId = null;
        }
        ChannelJson.Credential token = ChannelJson.credential(node, "pageTokenSetting", "pageToken", "channel.", true, in);
        String version = in.string(node, "graphVersion", "channel.graphVersion", false, 16);
        Matcher matched = version == null ? null : GRAPH_VERSION.matcher(version);
        if (matched != null && !matched.matches()) {
            in.fail("channel.graphVersion", "must be a Graph API version such as 21.0");
            return null;
        }
        return pageId == null || token == null ? null : new MessengerConfig(pageId, token.setting(),
                matched == null ? MessengerConfig.DEFAULT_GRAPH_VERSION : matched.group(1), token.secret());
    }

    @Override
    public void write(MessengerConfig messenger, ObjectNode out) {
        out.put("pageId", messenger.pageId());
        messenger.pageTokenSetting().ifPresent(s -> out.put("pageTokenSetting", s));
        messenger.pageToken().ifPresent(s -> out.put("pageToken", s));
        out.put("graphVersion", messenger.graphVersion());
    }

    @Override
    public void checkMessage(JsonNode message, String path, FieldReader in) {
        if (!message.hasNonNull("text") && !message.hasNonNull("attachment")) {
            in.fail(path, "must be a Send API message object with text or attachment");
        }
        JsonNode text = message.get("text");
        if (text != null && text.isTextual() && !MessageTemplate.isTemplate(text.textValue())
                && text.textValue().length() > MessengerRules.MAX_TEXT) {
            in.fail(path + ".text", "must be at most " + MessengerRules.MAX_TEXT + " characters");
        }
    }

    @Override
    public boolean hasMessagingWindow() {
        return true;
    }
}
