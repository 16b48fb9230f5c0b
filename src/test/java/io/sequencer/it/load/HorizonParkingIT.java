package io.sequencer.it.load;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.queue.QueueClient;
import io.sequencer.adapters.azure.QueueParkingLot;
import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.timer.ParkedTick;
import io.sequencer.domain.timer.Tick;
import io.sequencer.functions.Settings;
import io.sequencer.functions.StorageNames;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.Azurite;
import io.sequencer.testing.LocalHostFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Thousands of far-future timers in the parking queue leave the triggered queue to the near-term load: 5,000 in
 * {@code mvn verify}, ten times the near-term load; docs/ARCHITECTURE.md's figures were taken with
 * {@code -Dhorizon.parked=20000}.
 */
class HorizonParkingIT {
    private static final int PARKED = Integer.getInteger("horizon.parked", 5_000);

    /**
     * The triggered queue holds the near-term load only. The parking queue lives in a storage emulator of its own
     * ({@code SEQUENCER_PARKING_STORAGE}): Azurite serves every queue from one process, and a 20,000-deep queue
     * beside the triggered one slowed it (p99 lateness about a minute instead of about a second), which Azure
     * Storage, serving each queue apart, does not do. Lateness is printed, not asserted.
     */
    @Test
    void thousands_of_parked_timers_stay_out_of_the_triggered_queue_while_five_hundred_near_ones_are_delivered()
            throws Exception {
        try (Azurite parkingAzurite = Azurite.startPrivate()) {
            parkAndDeliver(parkingAzurite);
        }
    }

    private static void parkAndDeliver(Azurite parkingAzurite) throws Exception {
        StorageClients parkingStorage = parkingAzurite.clients();
        parkingStorage.ensureExists(StorageNames.PARKING_QUEUE);
        QueueClient parkedQueue = parkingStorage.queue(StorageNames.PARKING_QUEUE);
        // The timers of PARKED enrollments whose next step is 2 days away or more, parked as the app parks them.
        QueueParkingLot lot = new QueueParkingLot(parkedQueue, parkingStorage.queue(StorageNames.PARKING_QUEUE + "-poison"));
        ExecutorService writers = Executors.newFixedThreadPool(8);
        Instant now = Instant.now();
        long parkingStarted = System.nanoTime();
        IntStream.range(0, PARKED).forEach(i -> writers.execute(() -> {
            Instant due = now.plus(Duration.ofDays(2)).plusSeconds(i * 13L);
            Tick tick = new Tick(new EnrollmentKey("far-account", "far-seq", "sub-" + i), 1, 1, "s2", due, "t" + i, 1, 0, 0);
            lot.park(new ParkedTick(tick, due), Duration.between(now, due).minus(Duration.ofMinutes(15)));
        }));
        writers.shutdown();
        assertThat(writers.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
        System.out.printf("horizon: parked %,d timers in %d ms%n", PARKED, (System.nanoTime() - parkingStarted) / 1_000_000);

        try (LocalHostFixture host = LocalHostFixture.start(
                Map.of(Settings.PARKING_STORAGE, parkingAzurite.connectionString()), json -> { });
             WebhookSink sink = new WebhookSink(null)) {
            deliverNearTermLoadBeside(host, sink, Azurite.shared().clients());
        }
    }

    private static void deliverNearTermLoadBeside(LocalHostFixture host, WebhookSink sink, StorageClients storage)
            throws Exception {
        List<QueueClient> triggered = java.util.stream.IntStream.range(0, io.sequencer.domain.timer.TimerShard.MAX)
                .mapToObj(shard -> storage.queue(StorageNames.tickQueue(shard))).toList();
        java.util.function.LongSupplier depth = () -> triggered.stream()
                .mapToLong(q -> q.getProperties().getApproximateMessagesCount()).sum();
        String account = "near-" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/api/accounts/" + account + "/sequences/soon";
        host.call("PUT", path, HorizonIT.sequence(sink.url(), 5));
        // Timers that earlier tests left on the shared emulator's queue (retries, deferrals) are there before this load.
        long before = depth.getAsLong();
        AtomicLong maxDepth = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxDepth.accumulateAndGet(depth.getAsLong(), Math::max); // every shard's queue together
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        ExecutorService enrollers = Executors.newFixedThreadPool(8);
        IntStream.range(0, 500).forEach(i -> enrollers.execute(() -> host.call("PUT", path + "/subscribers/u" + i, null)));
        enrollers.shutdown();
        assertThat(enrollers.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
        await(() -> sink.received().stream().filter(r -> r.payload().path("account").asText().equals(account)).count() >= 500,
                Duration.ofMinutes(3));
        sampler.interrupt();
        sampler.join();

        long parked = Json.read(host.call("GET", "/api/metrics", null).body()).path("timers").path("parked").asLong();
        List<Long> lateness = sink.received().stream().filter(r -> r.payload().path("account").asText().equals(account))
                .map(r -> Duration.between(r.dueAt(), r.receivedAt()).toMillis()).sorted().toList();
        long p99 = lateness.get((int) Math.ceil(lateness.size() * 0.99) - 1);
        System.out.printf("horizon: parked=%d, triggered queue max depth=%d (near-term load 500, %d there before), p50=%d ms, p99=%d ms, max=%d ms%n",
                parked, maxDepth.get(), before, lateness.get(lateness.size() / 2), p99, lateness.get(lateness.size() - 1));
        assertThat(parked).isGreaterThanOrEqualTo(PARKED);
        assertThat(maxDepth.get()).as("the triggered queue holds the near-term load (500, beside the %d timers earlier tests "
                + "left on this emulator), not the parked %d", before, PARKED).isLessThanOrEqualTo(before + 520);
        assertThat(lateness).hasSize(500).allSatisfy(ms -> assertThat(ms).isNotNegative());
    }
}
