package io.sequencer.engine;

import io.sequencer.domain.ChannelConfig;

/** Port: sends one delivery over the channel a sequence names. Never throws for a failed send: it says so. */
public interface Channel {
    SendResult send(ChannelConfig config, Delivery delivery);
}
