package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.channel.ChannelConfig;

/**
 * One channel type's form in the HTTP API: its channel object read with every field checked (problems recorded at
 * {@code channel.<field>}), written back, and what a message on it must look like. Each channel type has one, in its
 * own package; {@link ChannelForms} reads and writes a channel through them.
 *
 * @param <C> the channel's configuration record
 */
public interface ChannelForm<C extends ChannelConfig> {

    /** The {@code type} of the channel object this form reads. */
    String type();

    Class<C> config();

    /** The channel at {@code node} (its type read already), or null after recording its problems in {@code in}. */
    C read(JsonNode node, FieldReader in);

    /** Writes the channel's fields into {@code out}, after its {@code type}. Names of secrets only, never values. */
    void write(C channel, ObjectNode out);

    /** Records in {@code in} why {@code message} (a JSON object at {@code path}) is not what this channel can send. */
    default void checkMessage(JsonNode message, String path, FieldReader in) {}

    /**
     * Whether this channel's messages may carry a message tag and say what to do outside the platform's messaging
     * window ({@code tag}, {@code outsideWindow}).
     */
    default boolean hasMessagingWindow() {
        return false;
    }
}
