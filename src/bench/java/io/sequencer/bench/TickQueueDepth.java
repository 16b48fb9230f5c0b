package io.sequencer.bench;

import com.azure.storage.queue.QueueClient;
import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.functions.StorageNames;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The tick queue's depth (the emulator's approximate count, hidden messages included) twice a second, on a client
 * of its own (not counted in any figure): the queue emulator's get costs in proportion to it, so a lateness figure
 * is comparable with the maximum's only at a comparable depth.
 */
final class TickQueueDepth implements AutoCloseable {
    private static final long INTERVAL_MILLIS = 500;

    private final QueueClient queue;
    private final ConcurrentSkipListMap<Long, Integer> samples = new ConcurrentSkipListMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    TickQueueDepth(StorageClients storage) {
        queue = storage.queue(StorageNames.TICK_QUEUE);
        thread = new Thread(this::sample, "tick-queue-depth");
        thread.setDaemon(true);
        thread.start();
    }

    private void sample() {
        while (running) {
            try {
                samples.put(System.currentTimeMillis(), queue.getProperties().getApproximateMessagesCount());
            } catch (RuntimeException e) {
                // A missed sample; the next one follows, after the same pause.
            }
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The deepest sample from {@code fromMillis} to {@code toMillis} (epoch ms); empty when none was taken then. */
    OptionalInt deepest(long fromMillis, long toMillis) {
        return samples.subMap(fromMillis, true, toMillis, true).values().stream().mapToInt(Integer::intValue).max();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
