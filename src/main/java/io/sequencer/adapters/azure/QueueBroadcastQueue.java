package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import io.sequencer.adapters.json.BroadcastCodec;
import io.sequencer.domain.FanOutPage;
import io.sequencer.domain.SendChunk;
import io.sequencer.domain.TimerDelay;
import io.sequencer.engine.BroadcastQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Broadcast messages in two storage queues, each with its own triggered function: fan-out pages and sends. Like
 * ticks, they are base64 (see {@link StorageClients}), hidden until due (at most 7 days; the handlers hop) and never
 * expire.
 */
public final class QueueBroadcastQueue implements BroadcastQueue {
    private static final Duration NEVER_EXPIRE = Duration.ofSeconds(-1);

    private final QueueClient pages;
    private final QueueClient sends;
    private final Clock clock;

    public QueueBroadcastQueue(QueueClient pages, QueueClient sends, Clock clock) {
        this.pages = pages;
        this.sends = sends;
        this.clock = clock;
    }

    @Override
    public void fanOut(FanOutPage page, Instant at) {
        pages.sendMessageWithResponse(BroadcastCodec.encode(page), TimerDelay.until(clock.instant(), at), NEVER_EXPIRE,
                null, Context.NONE);
    }

    @Override
    public void send(SendChunk chunk, Instant at) {
        sends.sendMessageWithResponse(BroadcastCodec.encode(chunk), TimerDelay.until(clock.instant(), at), NEVER_EXPIRE,
                null, Context.NONE);
    }
}
