package io.sequencer.channel.messenger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.stored.StoredChannelForm;
import io.sequencer.adapters.json.stored.StoredNode;

/**
 * A stored Messenger channel: {@code pageId}, {@code pageTokenSetting} or {@code pageToken}, and
 * {@code graphVersion} (rows written before it was kept read as the default version).
 */
final class MessengerStoredForm implements StoredChannelForm<MessengerConfig> {
    @Override
    public String type() {
        return MessengerConfig.TYPE;
    }

    @Override
    public Class<MessengerConfig> config() {
        return MessengerConfig.class;
    }

    @Override
    public MessengerConfig read(StoredNode in) {
        return new MessengerConfig(in.text("pageId"), in.optionalText("pageTokenSetting"),
                in.optionalText("graphVersion").orElse(MessengerConfig.DEFAULT_GRAPH_VERSION),
                in.optionalText("pageToken"));
    }

    @Override
    public void write(MessengerConfig messenger, ObjectNode out) {
        out.put("pageId", messenger.pageId());
        messenger.pageTokenSetting().ifPresent(s -> out.put("pageTokenSetting", s));
        messenger.pageToken().ifPresent(s -> out.put("pageToken", s));
        out.put("graphVersion", messenger.graphVersion());
    }
}
