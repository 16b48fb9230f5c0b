package io.sequencer.channel.messenger;

import io.sequencer.adapters.channel.ChannelSender;
import io.sequencer.adapters.json.ChannelForm;
import io.sequencer.adapters.json.stored.StoredChannelForm;
import io.sequencer.channel.ChannelType;
import io.sequencer.channel.SenderKit;
import io.sequencer.channel.SettingReader;
import io.sequencer.engine.channel.ChannelRules;
import java.util.List;
import java.util.Optional;

/** The Messenger channel type: sends as a Facebook page through the Send API, within Messenger's rules. */
public final class MessengerType implements ChannelType<MessengerConfig> {
    /** Send API calls per second one page may get, all instances together. */
    public static final String RATE_SETTING = "SEQUENCER_MESSENGER_RATE_PER_PAGE";
    /** The Graph API's base URL; tests point it at a fake. */
    public static final String GRAPH_BASE_SETTING = "SEQUENCER_GRAPH_BASE_URL";
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

    @Override
    public ChannelSender<MessengerConfig> sender(SenderKit kit) {
        return new MessengerChannel(kit.http(), kit.appSecrets(), kit.accountSecrets(),
                kit.settings().text(GRAPH_BASE_SETTING, MessengerChannel.DEFAULT_GRAPH_BASE), kit.clock());
    }

    @Override
    public List<String> settingNames() {
        return List.of(RATE_SETTING, GRAPH_BASE_SETTING);
    }

    @Override
    public Optional<Double> ratePerDestination(SettingReader settings) {
        return Optional.of((double) settings.number(RATE_SETTING, 300, 1, 100_000));
    }
}
