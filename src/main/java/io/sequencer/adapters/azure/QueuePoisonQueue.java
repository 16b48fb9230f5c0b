package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import com.azure.storage.queue.models.QueueStorageException;
import io.sequencer.adapters.json.TickCodec;
import io.sequencer.domain.SafeText;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.poison.PoisonQueue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.logging.Logger;

/**
 * A poison queue of Azure Storage, read without the client's decoding (see {@link StorageClients#rawQueue}):
 * the Functions host moves a message there as it was, base64 or not, and a sweep must read every message
 * rather than fail on one. Its text is decoded here as the queue trigger decodes it, then read as a tick, a
 * group of ticks, or either parked (the parking queue's poison queue holds those).
 */
public final class QueuePoisonQueue implements PoisonQueue {
    private static final Logger LOG = Logger.getLogger(QueuePoisonQueue.class.getName());

    private final QueueClient queue;

    /** @param rawQueue a client that does not decode message text */
    public QueuePoisonQueue(QueueClient rawQueue) {
        this.queue = rawQueue;
    }

    private record Receipt(String messageId, String popReceipt, String unreadable) {}

    @Override
    public List<Claim> claim(int max, Duration lease) {
        List<Claim> claims = new ArrayList<>();
        List<QueueMessageItem> messages;
        try {
            messages = queue.receiveMessages(max, lease, null, Context.NONE).stream().toList();
        } catch (QueueStorageException e) {
            if (e.getStatusCode() == 404) {
                return claims; // the host creates the queue when it first poisons a message: nothing poisoned yet
            }
            throw e;
        }
        for (QueueMessageItem message : messages) {
            String unreadable = null;
            List<Tick> ticks = List.of();
            try {
                ticks = read(message.getBody().toString());
            } catch (TickCodec.MalformedTick | IllegalArgumentException e) {
                unreadable = SafeText.oneLine(String.valueOf(e.getMessage()), 200);
            }
            claims.add(new Claim(ticks, new Receipt(message.getMessageId(), message.getPopReceipt(), unreadable)));
        }
        return claims;
    }

    /** @throws IllegalArgumentException when the text is not base64; {@link TickCodec.MalformedTick} when no tick */
    private static List<Tick> read(String stored) {
        String text = new String(Base64.getDecoder().decode(stored.replaceAll("[ \\t\\r\\n]", "")), StandardCharsets.UTF_8);
        return TickCodec.ticksIn(text);
    }

    @Override
    public void remove(Claim claim) {
        Receipt receipt = (Receipt) claim.receipt();
        queue.deleteMessage(receipt.messageId(), receipt.popReceipt());
    }

    @Override
    public void setAside(Claim claim, Duration hidden) {
        Receipt receipt = (Receipt) claim.receipt();
        // Logged here, when it is hidden for days, so the log says it once per stay rather than at every sweep.
        LOG.warning("message " + receipt.messageId() + " in " + queue.getQueueName() + " is not a tick ("
                + receipt.unreadable() + "); left there for a person to look at, hidden for " + hidden.toDays() + " days");
        queue.updateMessage(receipt.messageId(), receipt.popReceipt(), null, hidden);
    }
}
