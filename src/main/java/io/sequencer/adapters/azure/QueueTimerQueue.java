package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import io.sequencer.adapters.json.TickCodec;
import io.sequencer.domain.timer.Tick;
import io.sequencer.domain.timer.TickGroup;
import io.sequencer.domain.timer.TimerDelay;
import io.sequencer.engine.timer.TimerQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Ticks as Azure Storage queue messages hidden until due. The client must be built with base64 message
 * encoding (see {@link StorageClients}), which is what the Functions queue trigger decodes by default, and
 * messages never expire (TTL -1), since a 7-day hop would otherwise outlive its message.
 */
public final class QueueTimerQueue implements TimerQueue {

    private final QueueClient queue;
    private final Clock clock;

    public QueueTimerQueue(QueueClient queue, Clock clock) {
        this.queue = queue;
        this.clock = clock;
    }

    /** Hidden until {@code fireAt}, or for 7 days when that is later (the tick then hops). */
    @Override
    public void schedule(Tick tick, Instant fireAt) {
        Duration delay = TimerDelay.until(clock.instant(), fireAt);
        queue.sendMessageWithResponse(TickCodec.encode(tick), delay, QueueMessages.NEVER_EXPIRE, null, Context.NONE);
    }

    /** One message for the whole group, hidden as a tick would be; the tick function fans it out when it fires. */
    @Override
    public void schedule(TickGroup group, Instant fireAt) {
        Duration delay = TimerDelay.until(clock.instant(), fireAt);
        queue.sendMessageWithResponse(TickCodec.encodeGroup(group), delay, QueueMessages.NEVER_EXPIRE, null, Context.NONE);
    }
}
