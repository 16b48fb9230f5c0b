package io.sequencer.channel.messenger;

import io.sequencer.adapters.json.ChannelForm;
import io.sequencer.adapters.json.stored.StoredChannelForm;
import io.sequencer.channel.ChannelType;
import io.sequencer.engine.channel.ChannelRules;

/** The Messenger channel type: the parts of it this package holds. */
public final class MessengerType implements ChannelType<MessengerConfig> {
    private final MessengerRules rules = new MessengerRules();
    private final MessengerApiForm form = new MessengerApiForm();
    private final MessengerStoredForm storedForm = new MessengerStoredForm();

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

    @Override
    public ChannelForm<MessengerConfig> form() {
        return form;
    }

    @Override
    public StoredChannelForm<MessengerConfig> storedForm() {
        return storedForm;
    }
}
