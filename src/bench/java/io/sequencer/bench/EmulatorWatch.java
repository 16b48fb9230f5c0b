package io.sequencer.bench;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.storage.queue.QueueClient;
import io.sequencer.adapters.azure.StorageClients;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the emulator answers at all: twice a second, one cheap queue request and one cheap table request on
 * clients of its own (not counted in any figure), timing each. An emulator that stops answering (see
 * docs/BENCHMARKS.md, "Emulator stalls") shows as a slowest answer of seconds; a healthy run stays in
 * milliseconds. A request that fails (after the SDK's retries) counts as slow, at the time it took.
 */
final class EmulatorWatch implements AutoCloseable {
    private static final long SLOW_MILLIS = 1_000;
    private static final long INTERVAL_MILLIS = 500;

    private final QueueClient queue;
    private final TableClient table;
    private final Thread thread;
    private final AtomicLong slowestQueue = new AtomicLong();
    private final AtomicLong slowestTable = new AtomicLong();
    private final AtomicInteger slow = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean running = true;

    EmulatorWatch(StorageClients storage) {
        storage.ensureExists("bench-watch", "benchwatch");
        queue = storage.queue("bench-watch");
        table = storage.table("benchwatch");
        thread = new Thread(this::watch, "emulator-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        while (running) {
            time(slowestQueue, () -> queue.getProperties());
            time(slowestTable, () -> table.listEntities(new ListEntitiesOptions().setTop(1), Duration.ofSeconds(60), null)
                    .iterableByPage().iterator().next());
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void time(AtomicLong slowest, Runnable request) {
        long start = System.nanoTime();
        try {
            request.run();
        } catch (RuntimeException failed) {
            // Counted below by its duration; the SDK already retried it.
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        requests.incrementAndGet();
        slowest.accumulateAndGet(millis, Math::max);
        if (millis >= SLOW_MILLIS) {
            slow.incrementAndGet();
            System.out.printf("emulator watch: a %s request took %d ms%n", slowest == slowestQueue ? "queue" : "table", millis);
        }
    }

    /** What it saw since it started, as one line. */
    String summary() {
        return String.format("emulator watch (a queue and a table request every %d ms): %d requests, slowest answer queue"
                        + " %d ms, table %d ms; %d took %d ms or more", INTERVAL_MILLIS, requests.get(), slowestQueue.get(),
                slowestTable.get(), slow.get(), SLOW_MILLIS);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
