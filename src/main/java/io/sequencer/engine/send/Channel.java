package io.sequencer.engine.send;

import io.sequencer.domain.channel.ChannelConfig;

/** Port: sends one delivery over the channel a sequence names. Never throws for a failed send: it says so. */
public interface Channel {
    SendResult send(ChannelConfig config, Delivery delivery);
}
