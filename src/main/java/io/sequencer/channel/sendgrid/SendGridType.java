package io.sequencer.channel.sendgrid;

import io.sequencer.adapters.channel.ChannelSender;
import io.sequencer.adapters.json.ChannelForm;
import io.sequencer.adapters.json.stored.StoredChannelForm;
import io.sequencer.channel.ChannelType;
import io.sequencer.channel.SenderKit;
import io.sequencer.channel.SettingReader;
import io.sequencer.engine.channel.ChannelRules;
import java.util.List;
import java.util.Optional;

/** The SendGrid channel type: sends each message as an e-mail through SendGrid's v3 mail API. */
public final class SendGridType implements ChannelType<SendGridConfig> {
    /** Mail sends per second one {@code from} address may make, all instances together. */
    public static final String RATE_SETTING = "SEQUENCER_SENDGRID_RATE_PER_SENDER";
    /** SendGrid's API base URL; tests point it at a fake. */
    public static final String BASE_URL_SETTING = "SEQUENCER_SENDGRID_BASE_URL";
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

    @Override
    public ChannelSender<SendGridConfig> sender(SenderKit kit) {
        return new SendGridChannel(kit.http(), kit.appSecrets(), kit.accountSecrets(),
                kit.settings().text(BASE_URL_SETTING, SendGridChannel.DEFAULT_BASE_URL), kit.clock());
    }

    @Override
    public List<String> settingNames() {
        return List.of(RATE_SETTING, BASE_URL_SETTING);
    }

    @Override
    public Optional<Double> ratePerDestination(SettingReader settings) {
        return Optional.of((double) settings.number(RATE_SETTING, 100, 1, 100_000));
    }
}
