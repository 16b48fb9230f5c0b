package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import com.azure.storage.queue.models.QueueStorageException;
import io.sequencer.adapters.json.NoticeSignalCodec;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.engine.notification.NoticeQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Notice signals as messages of a storage queue no function is triggered by; the notice timer drains it. A
 * signal carries the enrollment's key and the highest event number of the write it announces.
 */
public final class QueueNoticeQueue implements NoticeQueue {
    private static final Logger LOG = Logger.getLogger(QueueNoticeQueue.class.getName());

    private final QueueClient queue;

    public QueueNoticeQueue(QueueClient queue) {
        this.queue = queue;
    }

    @Override
    public void signal(EnrollmentKey key, long upTo) {
        String text = NoticeSignalCodec.encode(key, upTo);
        QueueMessages.keep(queue, text);
    }

    @Override
    public List<Signal> receive(int max, Duration lease) {
        List<Signal> signals = new ArrayList<>();
        for (QueueMessageItem message : queue.receiveMessages(max, lease, null, Context.NONE)) {
            try {
                NoticeSignalCodec.Signalled read = NoticeSignalCodec.decode(message.getBody().toString());
                signals.add(new Signal(read.key(), read.upTo(), message.getDequeueCount(), message.getMessageId(),
                        message.getPopReceipt()));
            } catch (RuntimeException malformed) {
                // Only this app writes here; a message it cannot read points at nothing it could deliver.
                LOG.severe("notice signal " + message.getMessageId() + " dropped: " + malformed.getMessage());
                queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
            }
        }
        return signals;
    }

    @Override
    public void done(Signal signal) {
        try {
            queue.deleteMessage(signal.messageId(), signal.popReceipt());
        } catch (QueueStorageException gone) {
            if (gone.getStatusCode() != 404) {
                throw gone;
            }
        }
    }

    @Override
    public void retryLater(Signal signal, Duration delay) {
        queue.updateMessage(signal.messageId(), signal.popReceipt(), null, delay);
    }

    public long approximateCount() {
        return queue.getProperties().getApproximateMessagesCount();
    }
}
