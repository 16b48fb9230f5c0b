package io.sequencer.adapters.json.stored;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.channel.ChannelConfig;

/**
 * One channel type's stored form: its fields as a stored row holds them, read back without the request's checks
 * (those ran when the definition was accepted, and the address guard checks every destination again at send
 * time). Each channel type has one, in its own package; {@link StoredChannelForms} reads and writes through them.
 *
 * @param <C> the channel's configuration record
 */
public interface StoredChannelForm<C extends ChannelConfig> {

    /** The stored {@code type} this form reads. */
    String type();

    Class<C> config();

    /**
     * The channel stored at {@code in} (its type read already), whichever version wrote it.
     * @throws UnreadableStoredForm naming the field that cannot be read
     */
    C read(StoredNode in);

    /** Writes the channel's fields into {@code out}, after its {@code type}: names of secrets only, never values. */
    void write(C channel, ObjectNode out);
}
