package io.sequencer.bench;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.local.StagedApp;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw emulator's queue capacity, the denominator of the end-to-end ratio: the trigger's loop with a function
 * that does nothing but schedule the next message. Same client as the app (base64, counted), one poller taking
 * {@code batchSize} messages whenever at most {@code newBatchThreshold} are running, {@code batchSize +
 * newBatchThreshold} workers, and the same depth profile as the end-to-end run: {@code depth} messages visible at
 * the start, each of the first {@code puts} cycles puts one back (a next step), then the queue drains.
 */
final class BaselineQueueCycles {

    /** No cycle for this long: the rest is stranded. */
    private static final Duration STRANDED = Duration.ofSeconds(20);

    /** {@code cores}: what each process kept busy from the end of the fill to the last cycle. */
    record Result(int cycles, double seconds, double cyclesPerSecond, long transactions, ProcessorShare.Cores cores) {}

    private final BenchAzurite azurite;
    private final StorageClients storage;
    private final StagedApp.QueueOptions options;

    BaselineQueueCycles(BenchAzurite azurite, StagedApp.QueueOptions options) {
        this.azurite = azurite;
        this.storage = azurite.clients();
        this.options = options;
    }

    Result run(String queueName, int depth, int puts) throws InterruptedException {
        QueueClient queue = storage.queue(queueName);
        queue.createIfNotExists();
        queue.clearMessages();
        int parallel = options.batchSize() + options.newBatchThreshold();
        fill(queue, depth, parallel);
        // From here on each cycle is what an end-to-end step is to the queue: a get (shared), a delete, and for the
        // first puts cycles a put; the fill stands for the first ticks, which the end-to-end run puts at enroll.
        ProcessorShare share = ProcessorShare.start(azurite);
        int total = depth + puts;
        AtomicInteger putsLeft = new AtomicInteger(puts);
        AtomicInteger done = new AtomicInteger();
        AtomicLong first = new AtomicLong();
        AtomicLong last = new AtomicLong();
        long before = storage.queueTransactions();
        Semaphore capacity = new Semaphore(parallel);
        ExecutorService workers = Executors.newFixedThreadPool(parallel);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        int seen = 0;
        long lastProgress = System.nanoTime();
        while (done.get() < total) {
            if (done.get() != seen) {
                seen = done.get();
                lastProgress = System.nanoTime();
            }
            if (System.nanoTime() - lastProgress > STRANDED.toNanos() || System.nanoTime() > deadline) {
                // A get whose answer the emulator lost leaves its messages leased for the whole lease: count what
                // was cycled, and say so, rather than wait 10 minutes (the trigger would wait as long).
                System.out.printf("baseline: %d of %d cycles, the rest leased by a get whose answer was lost%n",
                        done.get(), total);
                break;
            }
            int running = parallel - capacity.availablePermits();
            if (running > options.newBatchThreshold()) {
                Thread.sleep(1);
                continue;
            }
            List<QueueMessageItem> batch = queue.receiveMessages(options.batchSize(), Duration.ofMinutes(10), null, Context.NONE)
                    .stream().toList();
            if (batch.isEmpty()) {
                Thread.sleep(10);
                continue;
            }
            for (QueueMessageItem message : batch) {
                capacity.acquire();
                workers.execute(() -> {
                    try {
                        if (putsLeft.getAndDecrement() > 0) {
                            queue.sendMessage(message.getBody());
                        }
                        try {
                            queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
                        } catch (com.azure.storage.queue.models.QueueStorageException gone) {
                            // 404 after a retried delete whose first answer was lost: the message is gone.
                            if (gone.getStatusCode() != 404) {
                                throw gone;
                            }
                        }
                        long now = System.nanoTime();
                        first.compareAndSet(0, now);
                        last.set(now);
                        done.incrementAndGet();
                    } finally {
                        capacity.release();
                    }
                });
            }
        }
        workers.shutdown();
        workers.awaitTermination(1, TimeUnit.MINUTES);
        double seconds = (last.get() - first.get()) / 1e9;
        return new Result(done.get(), seconds, (done.get() - 1) / seconds, storage.queueTransactions() - before,
                share.cores());
    }

    private static void fill(QueueClient queue, int count, int parallel) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        ExecutorService fillers = Executors.newFixedThreadPool(parallel);
        for (int i = 0; i < parallel; i++) {
            fillers.execute(() -> {
                while (next.getAndIncrement() < count) {
                    queue.sendMessage("{\"baseline\":true,\"padding\":\"" + "x".repeat(200) + "\"}");
                }
            });
        }
        fillers.shutdown();
        fillers.awaitTermination(10, TimeUnit.MINUTES);
    }
}
