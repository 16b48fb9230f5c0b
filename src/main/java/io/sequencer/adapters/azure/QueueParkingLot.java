package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueErrorCode;
import com.azure.storage.queue.models.QueueMessageItem;
import com.azure.storage.queue.models.QueueStorageException;
import io.sequencer.adapters.json.TickCodec;
import io.sequencer.domain.timer.ParkedTick;
import io.sequencer.domain.timer.TimerDelay;
import io.sequencer.engine.timer.ParkingLot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Parked timers as messages of a storage queue that no function is triggered by, so the scale controller never
 * counts them. A message hides until its timer is about to be pumped; claiming it leases it to one pump.
 */
public final class QueueParkingLot implements ParkingLot {
    private static final Logger LOG = Logger.getLogger(QueueParkingLot.class.getName());

    private final QueueClient queue;
    private final QueueClient poison;

    public QueueParkingLot(QueueClient queue, QueueClient poison) {
        this.queue = queue;
        this.poison = poison;
    }

    private record Receipt(String messageId, String popReceipt) {}

    @Override
    public void park(ParkedTick parked, Duration visibility) {
        if (visibility.isNegative() || visibility.compareTo(TimerDelay.MAX_VISIBILITY) > 0) {
            throw new IllegalArgumentException("visibility must be 0 to 7 days, was " + visibility);
        }
        queue.sendMessageWithResponse(TickCodec.encodeParked(parked), visibility, QueueMessages.NEVER_EXPIRE, null, Context.NONE);
    }

    @Override
    public List<Claim> claimVisible(int max, Duration lease) {
        List<Claim> claims = new ArrayList<>();
        for (QueueMessageItem message : queue.receiveMessages(max, lease, null, Context.NONE)) {
            String text = message.getBody().toString();
            try {
                claims.add(new Claim(TickCodec.decodeParked(text), new Receipt(message.getMessageId(), message.getPopReceipt())));
            } catch (TickCodec.MalformedTick e) {
                // Never pumped, never lost from sight: kept in the poison queue for a person to look at.
                LOG.severe("parked message " + message.getMessageId() + " moved to " + poison.getQueueName() + ": " + e.getMessage());
                QueueMessages.keep(poison, text);
                queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
            }
        }
        return claims;
    }

    @Override
    public List<ParkedTick> peekVisible(int max) {
        List<ParkedTick> visible = new ArrayList<>();
        queue.peekMessages(max, null, Context.NONE).forEach(m -> {
            try {
                visible.add(TickCodec.decodeParked(m.getBody().toString()));
            } catch (TickCodec.MalformedTick ignored) {
                // the next claim moves it to the poison queue
            }
        });
        return visible;
    }

    @Override
    public boolean remove(Claim claim) {
        Receipt receipt = (Receipt) claim.receipt();
        try {
            queue.deleteMessage(receipt.messageId(), receipt.popReceipt());
            return true;
        } catch (QueueStorageException e) {
            // Claimed again after the lease ran out: the pop receipt no longer matches (400), or the new claimant
            // already removed it (404). Either way that pump owns the timer now.
            if (e.getStatusCode() == 404 || QueueErrorCode.POP_RECEIPT_MISMATCH.equals(e.getErrorCode())) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public long approximateCount() {
        return queue.getProperties().getApproximateMessagesCount();
    }
}
