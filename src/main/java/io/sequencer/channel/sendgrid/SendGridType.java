package io.sequencer.channel.sendgrid;

import io.sequencer.adapters.json.ChannelForm;
import io.sequencer.adapters.json.stored.StoredChannelForm;
import io.sequencer.channel.ChannelType;
import io.sequencer.engine.channel.ChannelRules;

/** The SendGrid channel type: the parts of it this package holds. */
public final class SendGridType implements ChannelType<SendGridConfig> {
    private final SendGridRules rules = new SendGridRules();
    private final SendGridApiForm form = new SendGridApiForm();
    private final SendGridStoredForm storedForm = new SendGridStoredForm();

    @Override
    public String name() {
        return SendGridConfig.TYPE;
    }

    @Override
    public Class<SendGridConfig> config() {
        return SendGridConfig.class;
    }

    @Override
    public ChannelRules<SendGridConfig> rules() {
        return rules;
    }

    @Override
    public ChannelForm<SendGridConfig> form() {
        return form;
    }

    @Override
    public StoredChannelForm<SendGridConfig> storedForm() {
        return storedForm;
    }
}
