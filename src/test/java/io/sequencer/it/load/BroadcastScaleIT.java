package io.sequencer.it.load;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.adapters.azure.TableSubscriberStore;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.functions.FunctionApp;
import io.sequencer.functions.StorageNames;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.Azurite;
import io.sequencer.testing.LocalHostFixture;
import io.sequencer.testing.ReliabilityFigures;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A broadcast to thousands of subscribers on Azurite, end to end through the local host: every subscriber receives
 * it exactly once (by delivery id), and the live heap stays bounded while the audience is fanned out and sent. 5,000
 * in {@code mvn verify}; the figures in docs/BENCHMARKS.md were taken with {@code -Dbroadcast.audience=10000}.
 */
class BroadcastScaleIT {
    private static final int AUDIENCE = Integer.getInteger("broadcast.audience", 5_000);
    /**
     * Live heap (after a full collection) the whole JVM may hold at any point: host, sink, test and all. About 35 MiB
     * is measured, at 5,000 as at 10,000; 128 MiB for each 5,000 fails a leak of about 20 KiB a recipient.
     */
    private static final long LIVE_HEAP_LIMIT = (128L << 20) * Math.max(1, AUDIENCE / 5_000);

    @Test
    void thousands_of_subscribers_each_get_the_broadcast_once_and_the_heap_stays_bounded() throws Exception {
        String account = "scale-" + UUID.randomUUID().toString().substring(0, 8);
        StorageClients storage = Azurite.shared().clients();
        storage.ensureExists(StorageNames.BROADCAST_PAGE_QUEUE, StorageNames.SUBSCRIBERS_TABLE);
        TableSubscriberStore subscribers = new TableSubscriberStore(storage.table(StorageNames.SUBSCRIBERS_TABLE));
        // The audience as an import writes it: 100 profiles per table transaction, 100 transactions in all.
        ExecutorService writers = Executors.newFixedThreadPool(4);
        Instant now = Instant.now();
        List<Future<Boolean>> batches = new ArrayList<>();
        for (int first = 0; first < AUDIENCE; first += 100) {
            List<Subscriber> batch = IntStream.range(first, Math.min(AUDIENCE, first + 100))
                    .mapToObj(i -> Subscriber.create(account, String.format("sub-%05d", i), now)).toList();
            batches.add(writers.submit(() -> subscribers.createAll(account, batch)));
        }
        writers.shutdown();
        assertThat(writers.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
        for (Future<Boolean> batch : batches) {
            assertThat(batch.get()).as("a batch of 100 new profiles written at once").isTrue();
        }

        try (LocalHostFixture host = LocalHostFixture.start(); WebhookSink sink = new WebhookSink(LocalHostFixture.HOOK_SECRET);
             HeapWatch heap = new HeapWatch()) {
            String path = "/api/accounts/" + account + "/broadcasts/big";
            Instant requested = Instant.now();
            HttpResponse<String> scheduled = host.call("PUT", path, """
                    {"sendAt":"%s","channel":{"type":"webhook","url":"%s","secretSetting":"%s"},
                     "message":{"text":"To everyone"},"audience":{"everyone":true}}"""
                    .formatted(requested.plusSeconds(2), sink.url(), LocalHostFixture.hookSecretSetting(account)));
            assertThat(scheduled.statusCode()).as(scheduled.body()).isEqualTo(201);

            await(() -> progress(host, path).path("fanOut").asText().equals("done"), Duration.ofMinutes(5));
            JsonNode fannedOut = progress(host, path);
            double fanOutSeconds = Duration.between(Instant.parse(fannedOut.path("fanOutStartedAt").asText()),
                    Instant.parse(fannedOut.path("fanOutFinishedAt").asText())).toMillis() / 1000.0;
            assertThat(fannedOut.path("audience").asLong()).isEqualTo(AUDIENCE);

            await(() -> sink.received().size() >= AUDIENCE, Duration.ofMinutes(8));
            await(() -> progress(host, path).path("unsettled").asLong() == 0, Duration.ofMinutes(2));
            double sendSeconds = Duration.between(requested, Instant.now()).toMillis() / 1000.0;

            Map<String, Long> byDeliveryId = sink.received().stream()
                    .filter(r -> r.payload().path("account").asText().equals(account))
                    .collect(Collectors.groupingBy(WebhookSink.Received::deliveryId, Collectors.counting()));
            assertThat(byDeliveryId).hasSize(AUDIENCE);
            assertThat(byDeliveryId.values()).allMatch(n -> n == 1);
            assertThat(sink.received().stream().map(WebhookSink.Received::subscriberId).distinct().count())
                    .isEqualTo(AUDIENCE);
            JsonNode report = Json.read(host.call("GET", path + "/report", null).body());
            assertThat(report.path("sent").asLong()).isEqualTo(AUDIENCE);
            assertThat(report.path("status").asText()).isEqualTo("sent");

            long peak = heap.peakLiveBytes();
            System.out.printf("broadcast of %,d: fan-out %.1f s (%.0f subscribers/s), all sent %.1f s after the request"
                            + " (%.0f/s), peak live heap %d MiB%n", AUDIENCE, fanOutSeconds, AUDIENCE / fanOutSeconds,
                    sendSeconds, AUDIENCE / sendSeconds, peak >> 20);
            ReliabilityFigures.record("broadcast.fan_out_subscribers_per_second", Math.round(AUDIENCE / fanOutSeconds));
            ReliabilityFigures.record("broadcast.peak_live_heap_mib", peak >> 20);
            assertThat(peak).isLessThan(LIVE_HEAP_LIMIT);
        }
    }

    private static JsonNode progress(LocalHostFixture host, String path) {
        return Json.read(host.call("GET", path, null).body()).path("progress");
    }

    /**
     * Samples the live heap (after a full collection) every {@link #EVERY} and keeps the highest. Each sample is a
     * full collection of the whole test JVM, host included, on both cores: twice a second it took a large share of
     * the machine from the broadcast it measures; the heap's bound is a steady state, which this rate still sees
     * dozens of times over a run.
     */
    private static final class HeapWatch implements AutoCloseable {
        private static final Duration EVERY = Duration.ofSeconds(2);
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final AtomicLong peak = new AtomicLong();
        private final Thread sampler;
        private volatile boolean running = true;

        HeapWatch() {
            sampler = new Thread(() -> {
                while (running) {
                    memory.gc();
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(EVERY.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-watch");
            sampler.setDaemon(true);
            sampler.start();
        }

        long peakLiveBytes() {
            return peak.get();
        }

        @Override
        public void close() {
            running = false;
            sampler.interrupt();
        }
    }

}
