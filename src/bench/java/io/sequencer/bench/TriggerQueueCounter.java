package io.sequencer.bench;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import io.sequencer.adapters.azure.StorageTransactionCounter;
import io.sequencer.local.LocalHost;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;

/**
 * Counts the queue transactions of the local host's own trigger (its gets and deletes), which use raw clients
 * outside the app's counted ones: the listener's queue client is swapped, right after start, for an identical
 * one (same connection, same queue, no decoding) carrying the same counting pipeline policy. Reflection on the
 * dev-only local host, for measurement only; a get already in flight at the swap is not counted.
 */
final class TriggerQueueCounter {
    private final StorageTransactionCounter counter = StorageTransactionCounter.forQueues();

    static TriggerQueueCounter attach(LocalHost host, String connectionString) {
        TriggerQueueCounter counting = new TriggerQueueCounter();
        try {
            Field listenersField = LocalHost.class.getDeclaredField("listeners");
            listenersField.setAccessible(true);
            for (Object listener : (List<?>) listenersField.get(host)) {
                Field queueField = listener.getClass().getDeclaredField("queue");
                queueField.setAccessible(true);
                QueueClient raw = (QueueClient) queueField.get(listener);
                queueField.set(listener, new QueueClientBuilder().connectionString(connectionString)
                        .queueName(raw.getQueueName()).messageEncoding(QueueMessageEncoding.NONE)
                        .addPolicy(counting.counter).buildClient());
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the local host's trigger changed shape; cannot count its transactions", e);
        }
        return counting;
    }

    long transactions() {
        return counter.count();
    }

    /** The trigger's requests so far and their time, by kind. */
    Map<String, StorageTransactionCounter.RequestTimes> requestTimes() {
        return StorageTransactionCounter.requestTimes(counter);
    }
}
