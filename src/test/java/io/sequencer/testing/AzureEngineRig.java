package io.sequencer.testing;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import io.sequencer.adapters.azure.QueueTimerQueue;
import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.adapters.azure.TableEnrollmentStore;
import io.sequencer.adapters.azure.TableEventLog;
import io.sequencer.adapters.azure.TablePoisonedTicks;
import io.sequencer.adapters.azure.TableSequenceStore;
import io.sequencer.adapters.azure.TableSubscriberStore;
import io.sequencer.adapters.json.TickCodec;
import io.sequencer.adapters.json.stored.StoredChannelForms;
import io.sequencer.channel.ChannelTypes;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.timer.RetryBackoff;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.Sequencer;
import io.sequencer.engine.Stored;
import io.sequencer.engine.enrollment.EnrollmentStore;
import io.sequencer.engine.enrollment.Enrollments;
import io.sequencer.engine.event.Events;
import io.sequencer.engine.report.Reports;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.sequence.SequenceCatalog;
import io.sequencer.engine.subscriber.SubscriberStore;
import io.sequencer.engine.subscriber.Subscribers;
import io.sequencer.engine.tick.TickHandler;
import io.sequencer.engine.timer.ShardedTimers;
import io.sequencer.engine.timer.TimerQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The engine on the real Azure adapters (its own tables and tick queues on an Azurite, one per timer shard), the
 * system clock and a recording channel, with a queue worker that plays the Functions triggers, one per shard's
 * queue: handle each visible tick, delete it when the handler returned, leave it to come back after a visibility
 * timeout when it threw.
 */
public final class AzureEngineRig implements AutoCloseable {
    private static final StoredChannelForms STORED_CHANNELS = ChannelTypes.ALL.storedForms();
    /** A failed tick comes back after this long (the app's host.json says 30 s; short here to keep tests quick). */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(3);

    /** The triggered tick queue of each shard, shard 0 first. */
    public final List<QueueClient> queues;
    public final TableClient enrollmentTable;
    public final EnrollmentStore enrollmentStore;
    public final SubscriberStore subscriberStore;
    public final SequenceCatalog catalog;
    public final Enrollments enrollments;
    public final Subscribers subscribers;
    public final Events events;
    public final Reports reports;
    public final TickHandler ticks;
    public final RecordingChannel channel = new RecordingChannel();
    /** Every tick the engine scheduled, in order. */
    public final List<Tick> scheduled = new CopyOnWriteArrayList<>();
    private final ExecutorService pool;
    private final int workers;
    /** Runs the extra copies of a duplicated tick; apart from {@link #pool} so copies never wait for a free worker. */
    private final ExecutorService copiesPool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rig-copy");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public AzureEngineRig(StorageClients storage, int workers) {
        this(storage, workers, 1);
    }

    /** With ticks spread over {@code shards} queues, each with its trigger. */
    public AzureEngineRig(StorageClients storage, int workers, int shards) {
        this(storage::queue, storage::table, workers, shards);
    }

    public AzureEngineRig(Function<String, QueueClient> queues, Function<String, TableClient> tables, int workers) {
        this(queues, tables, workers, 1);
    }

    /**
     * The engine on the given clients: {@code queues} must use base64 message encoding, as
     * {@link StorageClients#queue} does. Creates its own queues (one per shard) and tables.
     */
    public AzureEngineRig(Function<String, QueueClient> queues, Function<String, TableClient> tables, int workers,
                          int shards) {
        String unique = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        List<QueueClient> shardQueues = new ArrayList<>();
        for (int shard = 0; shard < shards; shard++) {
            QueueClient queue = queues.apply("rig-ticks-" + unique + (shard == 0 ? "" : "-" + shard));
            queue.createIfNotExists();
            shardQueues.add(queue);
        }
        this.queues = List.copyOf(shardQueues);
        TableClient sequencesTable = created(tables.apply("rigseq" + unique));
        enrollmentTable = created(tables.apply("rigenr" + unique));
        TableClient subscribersTable = created(tables.apply("rigsub" + unique));
        TableClient eventsTable = created(tables.apply("rigevt" + unique));
        Clock clock = Clock.systemUTC();
        var sequenceStore = new TableSequenceStore(sequencesTable, STORED_CHANNELS);
        enrollmentStore = new TableEnrollmentStore(enrollmentTable);
        subscriberStore = new TableSubscriberStore(subscribersTable);
        ShardedTimers real = new ShardedTimers(this.queues.stream().map(q -> new QueueTimerQueue(q, clock)).toList());
        TimerQueue timers = (tick, fireAt) -> {
            real.schedule(tick, fireAt);
            scheduled.add(tick);
        };
        Sequencer engine = Sequencer.builder().clock(clock)
                .stores(sequenceStore, enrollmentStore, subscriberStore)
                .eventLog(new TableEventLog(eventsTable))
                .timers(timers)
                .channelTypes(ChannelTypes.ALL.rules()).channel(channel)
                .backoff(new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 3))
                .poisonedTicks(new TablePoisonedTicks(enrollmentTable))
                .build();
        catalog = engine.sequences();
        enrollments = engine.enrollments();
        subscribers = engine.subscribers();
        events = engine.events();
        reports = engine.reports();
        ticks = engine.ticks();
        this.workers = Math.max(2, workers * 4);
        pool = Executors.newFixedThreadPool(this.workers, r -> {
            Thread t = new Thread(r, "rig-worker");
            t.setDaemon(true);
            return t;
        });
    }

    private static TableClient created(TableClient table) {
        table.createTable();
        return table;
    }

    /** What a drain did. */
    public record Drained(long handled, long failed, boolean empty) {}

    /** Plays the trigger until the queue is empty (hidden messages included), or {@code limit} passes. */
    public Drained drain(Duration limit) {
        return drain(limit, 1);
    }

    /**
     * As {@link #drain(Duration)}, but every message is handled by {@code copies} threads at once, as when two
     * instances receive duplicates of one tick. The message is deleted only when every copy returned.
     */
    public Drained drain(Duration limit, int copies) {
        Instant end = Instant.now().plus(limit);
        long handledBefore = handled.get();
        long failedBefore = failed.get();
        // As the Functions host: fetch a new batch while fewer than half the workers are busy.
        Semaphore free = new java.util.concurrent.Semaphore(workers);
        try {
            while (Instant.now().isBefore(end)) {
                if (free.availablePermits() < workers / 2) {
                    pause(5);
                    continue;
                }
                // Each shard's trigger in turn.
                boolean received = false;
                try {
                    for (QueueClient queue : queues) {
                        int want = Math.min(32, free.availablePermits());
                        if (want == 0) {
                            break;
                        }
                        List<QueueMessageItem> batch = queue.receiveMessages(want, RETRY_AFTER, Duration.ofSeconds(10),
                                Context.NONE).stream().toList();
                        received |= !batch.isEmpty();
                        for (QueueMessageItem message : batch) {
                            free.acquire();
                            pool.execute(() -> {
                                try {
                                    process(queue, message, copies);
                                } finally {
                                    free.release();
                                }
                            });
                        }
                    }
                    if (!received) {
                        if (free.availablePermits() == workers && queues.stream()
                                .allMatch(q -> q.getProperties().getApproximateMessagesCount() == 0)) {
                            return new Drained(handled.get() - handledBefore, failed.get() - failedBefore, true);
                        }
                        pause(100);
                    }
                } catch (RuntimeException storageDown) {
                    pause(250);
                }
            }
            free.acquire(workers);
            free.release(workers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Drained(handled.get() - handledBefore, failed.get() - failedBefore, false);
    }

    private void process(QueueClient queue, QueueMessageItem message, int copies) {
        Tick tick = TickCodec.decode(message.getBody().toString());
        boolean allReturned = true;
        if (copies == 1) {
            allReturned = handle(tick);
        } else {
            List<Future<Boolean>> copiesRunning = new ArrayList<>();
            CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            for (int i = 0; i < copies; i++) {
                copiesRunning.add(copiesPool.submit(() -> {
                    start.await();
                    return handle(tick);
                }));
            }
            start.countDown();
            for (Future<Boolean> f : copiesRunning) {
                try {
                    allReturned &= f.get();
                } catch (Exception e) {
                    allReturned = false;
                }
            }
        }
        if (allReturned) {
            try {
                queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
            } catch (RuntimeException lost) {
                // The message comes back and is handled again, as on Azure when a delete is lost.
            }
        }
    }

    private boolean handle(Tick tick) {
        try {
            ticks.handle(tick);
            handled.incrementAndGet();
            return true;
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            return false;
        }
    }

    public Enrollment enrollment(EnrollmentKey key) {
        return enrollmentStore.find(key).map(Stored::value).orElseThrow();
    }

    /** subscriber → step → the distinct delivery ids the channel saw for it. */
    public Map<String, Map<String, Set<String>>> idsByStep(String account, String sequenceId) {
        return channel.deliveries().stream()
                .filter(d -> d.key().account().equals(account) && d.key().sequenceId().equals(sequenceId))
                .collect(Collectors.groupingBy(d -> d.key().subscriberId(), Collectors.groupingBy(Delivery::stepId,
                        Collectors.mapping(d -> d.deliveryId().value(), Collectors.toSet()))));
    }

    /** The delivery ids the enrollment recorded as sent (its current epoch). */
    public static Set<String> recordedIds(Enrollment enrollment) {
        return enrollment.history().stream().map(StepRecord::deliveryId).collect(Collectors.toSet());
    }

    /** Delivery ids the channel saw for {@code key}. */
    public Set<String> sentIds(EnrollmentKey key) {
        return channel.deliveries().stream().filter(d -> d.key().equals(key))
                .map(d -> d.deliveryId().value()).collect(Collectors.toSet());
    }

    public Optional<Enrollment> find(EnrollmentKey key) {
        return enrollmentStore.find(key).map(Stored::value);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        copiesPool.shutdownNow();
    }
}
