package io.sequencer.channel;

import io.sequencer.adapters.channel.ChannelSender;
import io.sequencer.adapters.json.ChannelForm;
import io.sequencer.adapters.json.stored.StoredChannelForm;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.engine.channel.ChannelRules;
import java.util.List;
import java.util.Optional;

/**
 * Everything one channel type is, in its own package: its configuration record, its rules of sending, its API and
 * stored JSON forms and its sender. The rest of the app reaches a channel type only through this interface and
 * {@link ChannelTypes}, the one place where types are registered.
 *
 * @param <C> the channel's configuration record
 */
public interface ChannelType<C extends ChannelConfig> {

    /** The type's name, as the API and the stored forms spell it; the same as its records' {@code type()}. */
    String name();

    /** The configuration record of this type. */
    Class<C> config();

    /** What the engine checks before a send of this type. */
    ChannelRules<C> rules();

    /** How the HTTP API reads and writes a channel of this type, and what its messages must look like. */
    ChannelForm<C> form();

    /** How a channel of this type is stored, and read back from every version stored. */
    StoredChannelForm<C> storedForm();

    /** Its sender: the platform's wire format, over the app's HTTP client and the secrets the channel names. */
    ChannelSender<C> sender(SenderKit kit);

    /** The app settings this type reads: listed among the app's settings, so the configuration guide has them. */
    default List<String> settingNames() {
        return List.of();
    }

    /**
     * Calls per second one destination of this type may receive, all instances together, as the settings say;
     * empty when the platform publishes no rate (the destination is then not budgeted).
     */
    default Optional<Double> ratePerDestination(SettingReader settings) {
        return Optional.empty();
    }
}
