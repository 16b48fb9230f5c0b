package io.sequencer.channel.messenger;

import io.sequencer.channel.ChannelType;
import io.sequencer.engine.channel.ChannelRules;

/** The Messenger channel type: the parts of it this package holds. */
public final class MessengerType implements ChannelType<MessengerConfig> {
    private final MessengerRules rules = new MessengerRules();

    @Override
    public String name() {
        return MessengerConfig.TYPE;
    }

    @Override
    public Class<MessengerConfig> config() {
        return MessengerConfig.class;
    }

    @Override
    public ChannelRules<MessengerConfig> rules() {
        return rules;
    }
}
