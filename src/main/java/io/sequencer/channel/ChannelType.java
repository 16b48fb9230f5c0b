package io.sequencer.channel;

import io.sequencer.adapters.json.ChannelForm;
import io.sequencer.adapters.json.stored.StoredChannelForm;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.engine.channel.ChannelRules;

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
}
