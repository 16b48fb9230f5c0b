package io.sequencer.testing;

import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.engine.send.Channel;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A channel for engine tests: records every delivery and answers from a script (default: sent). */
public final class RecordingChannel implements Channel {
    private final List<Delivery> deliveries = new ArrayList<>();
    private final List<ChannelConfig> channels = new ArrayList<>();
    private final Deque<SendResult> script = new ArrayDeque<>();
    private int hookAt = -1;
    private Runnable hook;

    @Override
    public synchronized SendResult send(ChannelConfig config, Delivery delivery) {
        deliveries.add(delivery);
        channels.add(config);
        if (deliveries.size() == hookAt) {
            hook.run();
        }
        return script.isEmpty() ? new SendResult.Sent("ok") : script.removeFirst();
    }

    /** The next sends answer these results, in order. */
    public synchronized RecordingChannel thenAnswer(SendResult... results) {
        script.addAll(List.of(results));
        return this;
    }

    /**
     * Runs {@code action} inside the send that makes the {@code n}th delivery, after it is recorded and before the
     * engine sees the result: a fault placed exactly between a send and the engine's record of it.
     */
    public synchronized RecordingChannel atDelivery(int n, Runnable action) {
        hookAt = n;
        hook = action;
        return this;
    }

    /** The channel of each delivery, in the order of {@link #deliveries()}. */
    public synchronized List<ChannelConfig> channels() {
        return List.copyOf(channels);
    }

    public synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }
}
