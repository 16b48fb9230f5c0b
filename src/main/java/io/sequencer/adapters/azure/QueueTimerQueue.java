package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import io.sequencer.adapters.json.TickCodec;
import io.sequencer.domain.Tick;
import io.sequencer.domain.TimerDelay;
import io.sequencer.engine.TimerQueue;
import java.time.Duration;

/**
 * Ticks as Azure Storage queue messages hidden until due. The client must be built with base64 message
 * encoding (see {@link StorageClients}), which is what the Functions queue trigger decodes by default, and
 * messages never expire (TTL -1), since a 7-day hop would otherwise outlive its message.
 */
public final class QueueTimerQueue implements TimerQueue {
    private static final Duration NEVER_EXPIRE = Duration.ofSeconds(-1);

    private final QueueClient queue;

    public QueueTimerQueue(QueueClient queue) {
        this.queue = queue;
    }

    @Override
    public void schedule(Tick tick, Duration delay) {
        if (delay.isNegative() || delay.compareTo(TimerDelay.MAX_VISIBILITY) > 0) {
            throw new IllegalArgumentException("visibility delay must be 0 to 7 days, was " + delay);
        }
        queue.sendMessageWithResponse(TickCodec.encode(tick), delay, NEVER_EXPIRE, null, Context.NONE);
    }
}
