package io.sequencer.local;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import com.azure.storage.queue.models.QueueStorageException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one queue-triggered function the way the Functions host's queue listener does:
 * <ul>
 *   <li>fetches up to {@code batchSize} messages, and fetches again once no more than
 *       {@code newBatchThreshold} are still running;</li>
 *   <li>when the queue is empty, backs off exponentially up to {@code maxPollingInterval};</li>
 *   <li>keeps each message hidden while its function runs; decodes base64 text (the host's default
 *       {@code messageEncoding}), and binds {@code DequeueCount}, {@code Id}, {@code InsertionTime} and friends;</li>
 *   <li>deletes a message whose function succeeded; makes a failed one visible again after
 *       {@code visibilityTimeout}; moves it to {@code <queue>-poison} once it failed {@code maxDequeueCount} times.</li>
 * </ul>
 */
final class QueueTriggerListener implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(QueueTriggerListener.class.getName());
    /** The host hides a message for 10 minutes while its function runs (and renews; our functions finish well before). */
    private static final Duration RUNNING_LEASE = Duration.ofMinutes(10);
    private static final Duration MIN_POLL = Duration.ofMillis(100);

    private final StagedApp.FunctionDefinition function;
    private final StagedApp.QueueOptions options;
    private final QueueClient queue;
    private final QueueClient poison;
    private final FunctionInvoker invoker;
    private final ExecutorService workers;
    private final Semaphore capacity;
    private final Thread poller;
    private volatile boolean running = true;

    QueueTriggerListener(StagedApp.FunctionDefinition function, StagedApp.QueueOptions options,
                         QueueClient queue, QueueClient poison, FunctionInvoker invoker) {
        this.function = function;
        this.options = options;
        this.queue = queue;
        this.poison = poison;
        this.invoker = invoker;
        int parallel = options.batchSize() + options.newBatchThreshold();
        this.capacity = new Semaphore(parallel);
        this.workers = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "local-queue-" + function.name());
            t.setDaemon(true);
            return t;
        });
        this.poller = new Thread(this::pollLoop, "local-poll-" + function.name());
        this.poller.setDaemon(true);
    }

    void start() {
        queue.createIfNotExists();
        poller.start();
    }

    private void pollLoop() {
        Duration wait = MIN_POLL;
        while (running) {
            try {
                // Fetch a new batch only when at most newBatchThreshold messages are still running.
                int free = capacity.availablePermits();
                int inFlight = options.batchSize() + options.newBatchThreshold() - free;
                if (inFlight > options.newBatchThreshold()) {
                    Thread.sleep(10);
                    continue;
                }
                List<QueueMessageItem> batch = queue.receiveMessages(options.batchSize(), RUNNING_LEASE, null, Context.NONE)
                        .stream().toList();
                if (batch.isEmpty()) {
                    Thread.sleep(wait.toMillis());
                    wait = min(wait.multipliedBy(2), options.maxPollingInterval());
                    continue;
                }
                wait = MIN_POLL;
                for (QueueMessageItem message : batch) {
                    capacity.acquire();
                    workers.execute(() -> {
                        try {
                            process(message);
                        } finally {
                            capacity.release();
                        }
                    });
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return; // interrupted by stop()
                }
                // Storage unreachable (e.g. the emulator restarting): keep polling, as the host does.
                LOG.log(Level.WARNING, "polling " + function.name() + " failed: " + e.getMessage());
                sleepQuietly(options.maxPollingInterval());
            }
        }
    }

    private void process(QueueMessageItem message) {
        String text;
        try {
            text = decode(message.getBody().toString());
        } catch (IllegalArgumentException notBase64) {
            // The host cannot bind such a message at all; it poisons it at once, without running the function.
            LOG.warning("message " + message.getMessageId() + " is not valid base64");
            poison(message);
            return;
        }
        try {
            invoker.invoke(text, metadata(message));
        } catch (Exception failure) {
            LOG.log(Level.WARNING, "function " + function.name() + " failed on message " + message.getMessageId()
                    + " (dequeue count " + message.getDequeueCount() + "): " + failure);
            fail(message);
            return;
        }
        try {
            queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
        } catch (QueueStorageException e) {
            // The function succeeded; if the delete was lost the message comes back, as it would on Azure.
            LOG.warning("could not delete message " + message.getMessageId() + ": " + e.getMessage());
        }
    }

    private void poison(QueueMessageItem message) {
        try {
            poison.createIfNotExists();
            poison.sendMessage(message.getBody());
            queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
            LOG.warning("message " + message.getMessageId() + " moved to " + poison.getQueueName()
                    + " after " + message.getDequeueCount() + " attempt(s)");
        } catch (QueueStorageException e) {
            LOG.warning("could not poison message " + message.getMessageId() + ": " + e.getMessage());
        }
    }

    private void fail(QueueMessageItem message) {
        try {
            if (message.getDequeueCount() >= options.maxDequeueCount()) {
                poison(message);
            } else {
                queue.updateMessage(message.getMessageId(), message.getPopReceipt(), null, options.visibilityTimeout());
            }
        } catch (QueueStorageException e) {
            // Lease lost or storage down: the message becomes visible again when its lease runs out.
            LOG.warning("could not release message " + message.getMessageId() + ": " + e.getMessage());
        }
    }

    /**
     * What the host does with messageEncoding=base64 (.NET's decoder: whitespace is ignored, anything else that
     * is not base64 is an error). @throws IllegalArgumentException when the text is not base64
     */
    private String decode(String raw) {
        if (!options.messageEncoding().equalsIgnoreCase("base64")) {
            return raw;
        }
        byte[] bytes = Base64.getDecoder().decode(raw.replaceAll("[ \\t\\r\\n]", ""));
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Map<String, String> metadata(QueueMessageItem message) {
        Map<String, String> data = new HashMap<>();
        data.put("DequeueCount", Long.toString(message.getDequeueCount()));
        data.put("Id", message.getMessageId());
        data.put("PopReceipt", message.getPopReceipt());
        data.put("InsertionTime", String.valueOf(message.getInsertionTime()));
        data.put("ExpirationTime", String.valueOf(message.getExpirationTime()));
        data.put("NextVisibleTime", String.valueOf(message.getTimeNextVisible()));
        return data;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(Math.max(duration.toMillis(), MIN_POLL.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops fetching; lets running invocations finish for up to {@code grace}; the rest return to the queue. */
    void stop(Duration grace) {
        running = false;
        poller.interrupt();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
