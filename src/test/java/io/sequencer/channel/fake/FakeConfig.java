package io.sequencer.channel.fake;

import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.channel.Destination;

/** A channel type that exists only in the tests: it drops each message into a named inbox. */
public record FakeConfig(String inbox) implements ChannelConfig {
    public static final String TYPE = "fake";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Destination destination() {
        return new Destination("fake:" + inbox);
    }
}
