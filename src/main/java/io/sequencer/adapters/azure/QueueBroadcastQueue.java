package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import io.sequencer.adapters.json.BroadcastCodec;
import io.sequencer.domain.broadcast.FanOutPage;
import io.sequencer.domain.broadcast.SendChunk;
import io.sequencer.domain.timer.TimerDelay;
import io.sequencer.domain.timer.TimerRoute;
import io.sequencer.engine.broadcast.BroadcastQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Broadcast messages in storage queues, each triggered queue with its own function: fan-out pages and sends. Like
 * ticks, they are base64 (see {@link StorageClients}), hidden until due (at most 7 days; the handlers hop) and never
 * expire.
 *
 * <p>Send messages due beyond the timer horizon (a local-time broadcast spreads its sends over a day) wait in a
 * parking queue that nothing triggers, so the scale controller never counts them, and {@link #pumpParked} moves them
 * across shortly before they are due, as the tick pump does for ticks.
 */
public final class QueueBroadcastQueue implements BroadcastQueue {
    private static final Logger LOG = Logger.getLogger(QueueBroadcastQueue.class.getName());
    private static final Duration PUMP_LEASE = Duration.ofMinutes(1);
    private static final int PUMP_BATCH = 32;

    private final QueueClient pages;
    private final QueueClient sends;
    private final QueueClient parked;
    private final QueueClient parkedPoison;
    private final Duration horizon;
    private final Clock clock;

    public QueueBroadcastQueue(QueueClient pages, QueueClient sends, QueueClient parked, QueueClient parkedPoison,
                               Duration horizon, Clock clock) {
        this.pages = pages;
        this.sends = sends;
        this.parked = parked;
        this.parkedPoison = parkedPoison;
        this.horizon = horizon;
        this.clock = clock;
    }

    @Override
    public void fanOut(FanOutPage page, Instant at) {
        pages.sendMessageWithResponse(BroadcastCodec.encode(page), TimerDelay.until(clock.instant(), at), QueueMessages.NEVER_EXPIRE,
                null, Context.NONE);
    }

    @Override
    public void send(SendChunk chunk, Instant at) {
        Instant now = clock.instant();
        TimerRoute route = TimerRoute.of(TimerDelay.untilUncapped(now, at), horizon);
        if (route instanceof TimerRoute.Near) {
            sends.sendMessageWithResponse(BroadcastCodec.encode(chunk), TimerDelay.until(now, at), QueueMessages.NEVER_EXPIRE, null,
                    Context.NONE);
        } else {
            parked.sendMessageWithResponse(BroadcastCodec.encodeParked(chunk, at), ((TimerRoute.Park) route).visibility(), QueueMessages.NEVER_EXPIRE,
                    null, Context.NONE);
        }
    }

    /**
     * Moves up to {@code max} parked send messages whose wait is over into the triggered queue (or parks them again
     * for the next hop). Each is queued before its parked copy is deleted: a crash in between leaves a duplicate,
     * which the sender's claims make harmless. @return how many were moved or parked again
     */
    public int pumpParked(int max) {
        int moved = 0;
        while (moved < max) {
            int taken = 0;
            for (QueueMessageItem message : parked.receiveMessages(Math.min(PUMP_BATCH, max - moved), PUMP_LEASE, null,
                    Context.NONE)) {
                taken++;
                String text = message.getBody().toString();
                SendChunk chunk;
                Instant fireAt;
                try {
                    BroadcastCodec.ParkedChunk parkedChunk = BroadcastCodec.decodeParked(text);
                    chunk = parkedChunk.chunk();
                    fireAt = parkedChunk.fireAt();
                } catch (Exception unreadable) {
                    LOG.severe("parked broadcast message " + message.getMessageId() + " moved to "
                            + parkedPoison.getQueueName() + ": " + unreadable.getClass().getSimpleName());
                    QueueMessages.keep(parkedPoison, text);
                    parked.deleteMessage(message.getMessageId(), message.getPopReceipt());
                    moved++;
                    continue;
                }
                // A failure here propagates: the parked message comes back when its lease ends.
                send(chunk, fireAt);
                parked.deleteMessage(message.getMessageId(), message.getPopReceipt());
                moved++;
            }
            if (taken == 0) {
                break;
            }
        }
        return moved;
    }
}
