package io.sequencer.bench;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.testing.Azurite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The emulator stall of docs/BENCHMARKS.md ("Emulator stalls"), reproduced on a fresh Azurite of its own: cycles
 * {@code messages} queue messages (put, get, delete, about 300 deep, 16 threads, like the baseline), then sends one
 * cheap request (a peek) every 100 ms until {@link #WATCH_UNTIL} after the emulator started, and reports the
 * slowest answer. Azurite's extent collector passes 60 s after its first pass at start-up; in memory it then
 * deletes one extent per message cycled, and answers nothing meanwhile. Opt-in ({@code --only emulator-gc}): it
 * takes about 3 minutes, and tells whether a new Azurite still needs the harness's queues on disk.
 */
final class EmulatorGcStall {
    static final int MESSAGES = 4_000;
    static final int DEPTH = 300;
    static final Duration WATCH_UNTIL = Duration.ofSeconds(100);

    record Result(String storage, int messages, double cycleSeconds, long slowestAnswerMillis, double slowestAtSeconds) {}

    private EmulatorGcStall() {}

    static Result run(Path project, boolean inMemory, int messages) throws IOException, InterruptedException {
        Path binary = project.resolve("node_modules/.bin/azurite");
        Path data = Files.createTempDirectory("bench-azurite-gc");
        int[] ports = {Azurite.freePort(), Azurite.freePort(), Azurite.freePort()};
        long started = System.nanoTime();
        Process emulator = BenchAzurite.start(project, binary,
                inMemory ? List.of("--inMemoryPersistence") : List.of("--location", data.toString()), ports, "gc");
        try {
            String connection = StorageClients.azuriteConnectionString("127.0.0.1", ports[0], ports[1], ports[2]);
            StorageClients storage = StorageClients.fromSettings(n -> n.equals(StorageClients.CONNECTION) ? connection : null);
            QueueClient queue = storage.queue("bench-gc");
            queue.createIfNotExists();
            long cycleStart = System.nanoTime();
            cycle(queue, messages);
            double cycleSeconds = (System.nanoTime() - cycleStart) / 1e9;
            long slowest = 0;
            double slowestAt = 0;
            while (System.nanoTime() - started < WATCH_UNTIL.toNanos()) {
                long start = System.nanoTime();
                try {
                    queue.peekMessage();
                } catch (RuntimeException failed) {
                    // counted at the time it took
                }
                long millis = (System.nanoTime() - start) / 1_000_000;
                if (millis > slowest) {
                    slowest = millis;
                    slowestAt = (start - started) / 1e9;
                }
                Thread.sleep(100);
            }
            return new Result(inMemory ? "in memory" : "on disk", messages, cycleSeconds, slowest, slowestAt);
        } finally {
            BenchAzurite.stop(emulator);
            try (var files = Files.walk(data)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** {@code messages} put, got and deleted, each get+delete of the first {@code messages - DEPTH} putting one back. */
    private static void cycle(QueueClient queue, int messages) throws InterruptedException {
        String body = "{\"gc\":true,\"padding\":\"" + "x".repeat(200) + "\"}";
        ExecutorService workers = Executors.newFixedThreadPool(16);
        AtomicInteger filled = new AtomicInteger();
        for (int i = 0; i < 16; i++) {
            workers.execute(() -> {
                while (filled.getAndIncrement() < DEPTH) {
                    queue.sendMessage(body);
                }
            });
        }
        while (filled.get() < DEPTH + 16) {
            Thread.sleep(5);
        }
        AtomicInteger putsLeft = new AtomicInteger(messages - DEPTH);
        AtomicInteger done = new AtomicInteger();
        while (done.get() < messages) {
            List<QueueMessageItem> batch = queue.receiveMessages(32, Duration.ofMinutes(5), null, Context.NONE)
                    .stream().toList();
            if (batch.isEmpty()) {
                Thread.sleep(5);
                continue;
            }
            for (QueueMessageItem message : batch) {
                workers.execute(() -> {
                    try {
                        if (putsLeft.getAndDecrement() > 0) {
                            queue.sendMessage(body);
                        }
                        queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
                    } catch (RuntimeException e) {
                        // a retried delete whose first answer was lost: the message is gone all the same
                    } finally {
                        done.incrementAndGet();
                    }
                });
            }
            while (((ThreadPoolExecutor) workers).getQueue().size() > 64) {
                Thread.sleep(1);
            }
        }
        workers.shutdown();
        workers.awaitTermination(1, TimeUnit.MINUTES);
    }
}
