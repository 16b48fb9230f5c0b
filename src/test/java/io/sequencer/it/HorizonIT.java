package io.sequencer.it;

import static io.sequencer.it.EndToEndIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import io.sequencer.adapters.azure.QueueParkingLot;
import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.adapters.json.Json;
import io.sequencer.adapters.json.TickCodec;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.timer.ParkedTick;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.timer.TimerPump;
import io.sequencer.functions.FunctionApp;
import io.sequencer.functions.Settings;
import io.sequencer.functions.StorageNames;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.Azurite;
import io.sequencer.testing.LocalHostFixture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The horizon on Azurite: far-future timers wait in the parking queue and the pump brings them in on time. */
class HorizonIT {

    private static String sequence(String url, int... delays) {
        StringBuilder steps = new StringBuilder();
        for (int i = 0; i < delays.length; i++) {
            steps.append(i == 0 ? "" : ",").append("{\"id\":\"s").append(i + 1).append("\",\"delay\":{\"amount\":")
                    .append(delays[i]).append(",\"unit\":\"seconds\"},\"message\":{}}");
        }
        return "{\"name\":\"h\",\"steps\":[" + steps + "],\"channel\":{\"type\":\"webhook\",\"url\":\"" + url + "\"}}";
    }

    @Test
    void a_step_beyond_the_horizon_is_parked_pumped_and_delivered_on_time() throws Exception {
        try (LocalHostFixture host = LocalHostFixture.start(Map.of(Settings.HORIZON, "20"), json -> { });
             WebhookSink sink = new WebhookSink(null)) {
            String account = "hz-" + UUID.randomUUID().toString().substring(0, 8);
            String path = "/api/accounts/" + account + "/sequences/later";
            host.call("PUT", path, sequence(sink.url(), 0, 30));
            host.call("PUT", path + "/subscribers/u1", null);
            await(() -> Json.read(host.call("GET", "/api/metrics", null).body()).path("timers").path("parked").asLong() >= 1,
                    Duration.ofSeconds(30));
            assertThat(Json.read(host.call("GET", "/api/metrics", null).body()).path("timers").path("horizonSeconds").asLong())
                    .isEqualTo(20);
            await(() -> sink.received().stream().filter(r -> r.payload().path("account").asText().equals(account)).count() == 2,
                    Duration.ofSeconds(90));
            WebhookSink.Received second = sink.received().stream()
                    .filter(r -> r.payload().path("account").asText().equals(account) && r.stepId().equals("s2"))
                    .findFirst().orElseThrow();
            Duration lateness = Duration.between(second.dueAt(), second.receivedAt());
            assertThat(lateness.isNegative()).as("never early").isFalse();
            assertThat(lateness).as("pumped in time").isLessThan(Duration.ofSeconds(5));
        }
    }

    /**
     * The triggered queue holds the near-term load only. The parking queue lives in a storage emulator of its own
     * ({@code SEQUENCER_PARKING_STORAGE}): Azurite serves every queue from one process, and a 20,000-deep queue
     * beside the triggered one slowed it (p99 lateness about a minute instead of about a second), which Azure
     * Storage, serving each queue apart, does not do. Lateness is printed, not asserted.
     */
    @Test
    void twenty_thousand_parked_timers_stay_out_of_the_triggered_queue_while_five_hundred_near_ones_are_delivered()
            throws Exception {
        try (Azurite parkingAzurite = Azurite.startPrivate()) {
            parkAndDeliver(parkingAzurite);
        }
    }

    private static void parkAndDeliver(Azurite parkingAzurite) throws Exception {
        StorageClients parkingStorage = parkingAzurite.clients();
        parkingStorage.ensureExists(StorageNames.PARKING_QUEUE);
        QueueClient parkedQueue = parkingStorage.queue(StorageNames.PARKING_QUEUE);
        // The timers of 20,000 enrollments whose next step is 2 to 5 days away, parked as the app parks them.
        QueueParkingLot lot = new QueueParkingLot(parkedQueue, parkingStorage.queue(StorageNames.PARKING_QUEUE + "-poison"));
        ExecutorService writers = Executors.newFixedThreadPool(8);
        Instant now = Instant.now();
        long parkingStarted = System.nanoTime();
        IntStream.range(0, Integer.getInteger("horizon.parked", 20_000)).forEach(i -> writers.execute(() -> {
            Instant due = now.plus(Duration.ofDays(2)).plusSeconds(i * 13L);
            Tick tick = new Tick(new EnrollmentKey("far-account", "far-seq", "sub-" + i), 1, 1, "s2", due, "t" + i, 1, 0, 0);
            lot.park(new ParkedTick(tick, due), Duration.between(now, due).minus(Duration.ofMinutes(15)));
        }));
        writers.shutdown();
        assertThat(writers.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
        System.out.printf("horizon: parked 20,000 timers in %d ms%n", (System.nanoTime() - parkingStarted) / 1_000_000);

        try (LocalHostFixture host = LocalHostFixture.start(
                Map.of(Settings.PARKING_STORAGE, parkingAzurite.connectionString()), json -> { });
             WebhookSink sink = new WebhookSink(null)) {
            deliverNearTermLoadBeside(host, sink, Azurite.shared().clients());
        }
    }

    /** Pump throughput and what a parked step costs, counted by the SDK pipeline policy on real queues. */
    @Test
    void the_pump_moves_a_backlog_and_a_parked_step_costs_about_two_transactions_more() throws Exception {
        try (Azurite azurite = Azurite.startPrivate()) {
            StorageClients storage = azurite.clients();
            storage.ensureExists(StorageNames.PARKING_QUEUE);
            storage.ensureExists(StorageNames.TICK_QUEUE);
            QueueParkingLot lot = new QueueParkingLot(storage.queue(StorageNames.PARKING_QUEUE),
                    storage.queue(StorageNames.PARKING_QUEUE + "-poison"));
            var triggered = new io.sequencer.adapters.azure.QueueTimerQueue(storage.queue(StorageNames.TICK_QUEUE),
                    Clock.systemUTC());
            int backlog = 2_000;
            Instant now = Instant.now();
            long beforeParking = storage.queueTransactions();
            for (int i = 0; i < backlog; i++) {
                Tick tick = new Tick(new EnrollmentKey("acme", "seq", "sub-" + i), 1, 1, "s2", now, "t" + i, 1, 0, 0);
                // Due now, so the moved copies are visible at once and can be read back below.
                lot.park(new ParkedTick(tick, now), Duration.ZERO);
            }
            long parkingCost = storage.queueTransactions() - beforeParking;
            var pump = new TimerPump(lot, triggered, Duration.ofMinutes(15), Clock.systemUTC(), 8);
            long beforePump = storage.queueTransactions();
            long started = System.nanoTime();
            int moved = 0;
            // Run after run, as the timer trigger does; a claim that lapsed on a slow batch comes back when its
            // lease ends, so a run that moved nothing waits a moment. Bounded: a timer never moved fails below.
            // Until the parking queue is empty: a move whose parked copy could not be removed in time is moved again
            // (at least once, as DESIGN.md allows), so "moved" may pass the backlog before every timer is across.
            long giveUpAt = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            QueueClient parkingQueue = storage.queue(StorageNames.PARKING_QUEUE);
            while (parkingQueue.getProperties().getApproximateMessagesCount() > 0 && System.nanoTime() < giveUpAt) {
                TimerPump.Run run = pump.run(5_000, Duration.ofSeconds(40));
                moved += run.moved();
                if (run.moved() == 0) {
                    Thread.sleep(1_000);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long pumpCost = storage.queueTransactions() - beforePump;
            System.out.printf("pump: moved %d parked timers in %.1f s = %.0f timers/s; transactions per parked step: "
                            + "park %.2f + pump %.2f (get, put, delete) = %.2f more than a near step's single put%n",
                    moved, seconds, moved / seconds, parkingCost / (double) backlog, pumpCost / (double) backlog,
                    (parkingCost + pumpCost) / (double) backlog - 1);
            assertThat(parkingQueue.getProperties().getApproximateMessagesCount()).as("parking queue emptied").isZero();
            Map<String, Integer> copies = tokensIn(storage.queue(StorageNames.TICK_QUEUE));
            int duplicates = copies.values().stream().mapToInt(n -> n - 1).sum();
            System.out.printf("pump: %d timers in the triggered queue, %d of them duplicates%n", backlog + duplicates,
                    duplicates);
            assertThat(copies.keySet()).as("every parked timer reached the triggered queue")
                    .isEqualTo(IntStream.range(0, backlog).mapToObj(i -> "t" + i).collect(Collectors.toSet()));
            assertThat(duplicates).as("duplicates (dropped by the tick handler) stay rare").isLessThanOrEqualTo(backlog / 50);
            assertThat((parkingCost + pumpCost) / (double) backlog).isLessThan(3.1);
        }
    }

    /** How many copies of each tick token the queue holds; reads every message once (hidden, not deleted). */
    private static Map<String, Integer> tokensIn(QueueClient queue) {
        Map<String, Integer> copies = new HashMap<>();
        while (true) {
            List<QueueMessageItem> batch = queue.receiveMessages(32, Duration.ofMinutes(10), null, Context.NONE)
                    .stream().toList();
            if (batch.isEmpty()) {
                return copies;
            }
            batch.forEach(m -> copies.merge(TickCodec.decode(m.getBody().toString()).token(), 1, Integer::sum));
        }
    }

    private static void deliverNearTermLoadBeside(LocalHostFixture host, WebhookSink sink, StorageClients storage)
            throws Exception {
        QueueClient triggered = storage.queue(StorageNames.TICK_QUEUE);
        String account = "near-" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/api/accounts/" + account + "/sequences/soon";
        host.call("PUT", path, sequence(sink.url(), 5));
        // Timers that earlier tests left on the shared emulator's queue (retries, deferrals) are there before this load.
        long before = triggered.getProperties().getApproximateMessagesCount();
        AtomicLong maxDepth = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxDepth.accumulateAndGet(triggered.getProperties().getApproximateMessagesCount(), Math::max);
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
        assertThat(parked).isGreaterThanOrEqualTo(20_000);
        assertThat(maxDepth.get()).as("the triggered queue holds the near-term load (500, beside the %d timers earlier tests "
                + "left on this emulator), not the parked 20,000", before).isLessThanOrEqualTo(before + 520);
        assertThat(lateness).hasSize(500).allSatisfy(ms -> assertThat(ms).isNotNegative());
    }
}
