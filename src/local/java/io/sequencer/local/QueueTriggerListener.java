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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
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
 *       {@code visibilityTimeout}; moves it to {@code <queue>-poison} once it failed {@code maxDequeueCount} times,
 *       and, without running the function, one received more often than that (its last run never finished).</li>
 * </ul>
 * On {@link #stop} it takes no new work, lets running invocations finish within a grace period, and gives the
 * messages of any still running (and any received but not started) back to the queue at once.
 */
final class QueueTriggerListener implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(QueueTriggerListener.class.getName());
    /**
     * The host hides a message for 10 minutes while its function runs (and renews; our functions finish well before).
     * A test may shorten it to see a timed-out message come back.
     */
    static final Duration RUNNING_LEASE = Duration.ofMinutes(10);
    private final Duration runningLease;
    private static final Duration MIN_POLL = Duration.ofMillis(100);

    private final StagedApp.FunctionDefinition function;
    private final StagedApp.QueueOptions options;
    private final QueueClient queue;
    private final QueueClient poison;
    private final FunctionInvoker invoker;
    private final ExecutorService workers;
    private final Semaphore capacity;
    private final Thread poller;
    /** Messages handed to a worker and not yet finished, by message id: what a stop has to give back. */
    private final Map<String, QueueMessageItem> started = new ConcurrentHashMap<>();
    /** Counted down by {@link #stopTaking}: wakes the poller from its back-off at once. */
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running = true;

    QueueTriggerListener(StagedApp.FunctionDefinition function, StagedApp.QueueOptions options,
                         QueueClient queue, QueueClient poison, FunctionInvoker invoker) {
        this(function, options, queue, poison, invoker, RUNNING_LEASE);
    }

    QueueTriggerListener(StagedApp.FunctionDefinition function, StagedApp.QueueOptions options,
                         QueueClient queue, QueueClient poison, FunctionInvoker invoker, Duration runningLease) {
        this.runningLease = runningLease;
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
                    stopping.await(10, TimeUnit.MILLISECONDS);
                    continue;
                }
                // Never interrupted while receiving: messages the service handed out must reach a worker or be given back.
                List<QueueMessageItem> batch = queue.receiveMessages(options.batchSize(), runningLease, null, Context.NONE)
                        .stream().toList();
                if (batch.isEmpty()) {
                    stopping.await(wait.toMillis(), TimeUnit.MILLISECONDS);
                    wait = min(wait.multipliedBy(2), options.maxPollingInterval());
                    continue;
                }
                wait = MIN_POLL;
                for (QueueMessageItem message : batch) {
                    if (!running) {
                        release(message); // stopping: not started, so back to the queue now
                        continue;
                    }
                    capacity.acquire();
                    started.put(message.getMessageId(), message);
                    workers.execute(() -> {
                        try {
                            process(message);
                        } finally {
                            started.remove(message.getMessageId());
                            capacity.release();
                        }
                    });
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                // Storage unreachable (e.g. the emulator restarting): keep polling, as the host does.
                LOG.log(Level.WARNING, "polling " + function.name() + " failed: " + e.getMessage());
                try {
                    stopping.await(Math.max(options.maxPollingInterval().toMillis(), MIN_POLL.toMillis()), TimeUnit.MILLISECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Makes a message this host holds visible again at once, for this or another instance to run. */
    private void release(QueueMessageItem message) {
        try {
            queue.updateMessage(message.getMessageId(), message.getPopReceipt(), null, Duration.ZERO);
        } catch (RuntimeException e) {
            // Lease lost or storage down: the message becomes visible again when its lease runs out.
            LOG.warning("could not release message " + message.getMessageId() + ": " + e.getMessage());
        }
    }

    private void process(QueueMessageItem message) {
        if (message.getDequeueCount() > options.maxDequeueCount()) {
            // Received more often than the function may run: its last run never finished (the worker died, or it
            // overran its lease). The host poisons such a message as it receives it, without running the function
            // again; the error of the last run that failed stays as that run recorded it.
            poison(message);
            return;
        }
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
        } catch (FunctionInvoker.FunctionTimeout timeout) {
            // As on Azure: the run is ended and its message is left as it is, hidden until its lease runs out, then
            // received again (and counted; past maxDequeueCount it is poisoned without running).
            LOG.warning(timeout.getMessage() + " on message " + message.getMessageId() + " (dequeue count "
                    + message.getDequeueCount() + "); it comes back when its lease ends");
            return;
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

    /**
     * Stops fetching (a batch being received is given back to the queue); lets running invocations finish for up
     * to {@code grace}; gives back, visible at once, the messages of those still running then.
     */
    void stop(Duration grace) {
        stopTaking();
        awaitStopped(System.nanoTime() + grace.toNanos());
    }

    /** Takes no new message from now on; returns at once (see {@link #awaitStopped}). */
    void stopTaking() {
        running = false;
        stopping.countDown();
    }

    /**
     * After {@link #stopTaking}: waits until {@code deadline} (a {@link System#nanoTime} value) for running
     * invocations, then gives back, visible at once, the messages of those still running. Several listeners
     * share one deadline, so a host's stop takes one grace period however many queues it reads.
     */
    void awaitStopped(long deadline) {
        try {
            // A receive in progress ends within the storage client's response timeout.
            poller.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (poller.isAlive()) {
                poller.interrupt();
            }
            workers.shutdown();
            long left = Math.max(0, deadline - System.nanoTime());
            if (!workers.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                List<QueueMessageItem> unfinished = List.copyOf(started.values());
                unfinished.forEach(this::release);
                workers.shutdownNow();
                if (!unfinished.isEmpty()) {
                    LOG.warning(unfinished.size() + " message(s) of " + function.name()
                            + " still running at shutdown were returned to the queue");
                }
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
