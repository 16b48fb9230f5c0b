package io.sequencer.channel.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.channel.ChannelSender;
import io.sequencer.adapters.json.ChannelForm;
import io.sequencer.adapters.json.FieldReader;
import io.sequencer.adapters.json.stored.StoredChannelForm;
import io.sequencer.adapters.json.stored.StoredNode;
import io.sequencer.channel.ChannelType;
import io.sequencer.channel.SenderKit;
import io.sequencer.engine.channel.ChannelRules;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Everything the test-only {@code fake} channel type is, as a new channel type would be: its API form, stored form,
 * rules (none beyond the defaults) and a sender that keeps what it was handed, so a test can see what went out.
 */
public final class FakeType implements ChannelType<FakeConfig> {
    private final List<Delivery> sent = new ArrayList<>();

    /** What the sender was handed, in order. */
    public synchronized List<Delivery> sent() {
        return List.copyOf(sent);
    }

    @Override
    public String name() {
        return FakeConfig.TYPE;
    }

    @Override
    public Class<FakeConfig> config() {
        return FakeConfig.class;
    }

    @Override
    public ChannelRules<FakeConfig> rules() {
        return () -> FakeConfig.class;
    }

    @Override
    public ChannelForm<FakeConfig> form() {
        return new ChannelForm<>() {
            @Override
            public String type() {
                return FakeConfig.TYPE;
            }

            @Override
            public Class<FakeConfig> config() {
                return FakeConfig.class;
            }

            @Override
            public FakeConfig read(JsonNode node, FieldReader in) {
                in.rejectUnknown(node, "channel", Set.of("type", "inbox"));
                String inbox = in.string(node, "inbox", "channel.inbox", true, 64);
                return inbox == null ? null : new FakeConfig(inbox);
            }

            @Override
            public void write(FakeConfig channel, ObjectNode out) {
                out.put("inbox", channel.inbox());
            }
        };
    }

    @Override
    public StoredChannelForm<FakeConfig> storedForm() {
        return new StoredChannelForm<>() {
            @Override
            public String type() {
                return FakeConfig.TYPE;
            }

            @Override
            public Class<FakeConfig> config() {
                return FakeConfig.class;
            }

            @Override
            public FakeConfig read(StoredNode in) {
                return new FakeConfig(in.text("inbox"));
            }

            @Override
            public void write(FakeConfig channel, ObjectNode out) {
                out.put("inbox", channel.inbox());
            }
        };
    }

    @Override
    public ChannelSender<FakeConfig> sender(SenderKit kit) {
        return new ChannelSender<>() {
            @Override
            public Class<FakeConfig> config() {
                return FakeConfig.class;
            }

            @Override
            public SendResult send(FakeConfig config, Delivery delivery) {
                synchronized (FakeType.this) {
                    sent.add(delivery);
                }
                return new SendResult.Sent("dropped into " + config.inbox());
            }
        };
    }
}
