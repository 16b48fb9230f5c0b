package io.sequencer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.util.BinaryData;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.adapters.azure.StorageHttp;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.engine.send.Delivery;
import io.sequencer.testing.AzureEngineRig;
import io.sequencer.testing.Azurite;
import io.sequencer.testing.ReliabilityFigures;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Storage that goes away, throttles or conflicts: the engine on the real adapters keeps every step, sends none
 * twice under two ids, and needs no help beyond the queue's own redelivery.
 */
class StorageFaultsTest {
    private static final String ACCOUNT = "faults";
    /** Longer than the table client's default retries (3 retries, 0.8 s doubling: about 6 s) last. */
    private static final Duration OUTAGE = Duration.ofSeconds(12);

    @Test
    void storage_stopped_and_restarted_mid_run_with_1000_subscribers_in_flight_loses_and_doubles_nothing(
            @TempDir Path data) throws Exception {
        int subscribers = 1000;
        try (Azurite azurite = Azurite.startOnDisk(data);
             AzureEngineRig rig = new AzureEngineRig(azurite.clients(), 4)) {
            // One step each keeps the run near half a minute on the emulator; the races and the throttling test
            // cover steps that schedule further steps.
            rig.catalog.define(ACCOUNT, "outage", RacesOnStorageTest.draft("o", 1, ReentryPolicy.NEVER));
            ExecutorService hosts = Executors.newFixedThreadPool(8);
            for (int i = 0; i < subscribers; i++) {
                EnrollmentKey key = key("outage", i);
                hosts.submit(() -> RacesOnStorageTest.retried(() -> rig.enrollments.enroll(key)));
            }
            hosts.shutdown();
            assertThat(hosts.awaitTermination(120, TimeUnit.SECONDS)).isTrue();

            // Storage stops inside the send of the middle delivery, so at least that tick has sent and not yet
            // recorded, and stays down longer than the table client's retries last (about 6 s): the failure
            // reaches the engine, the tick fails and comes back, and must resend under the same id.
            CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
            rig.channel.atDelivery(subscribers / 2, () -> {
                azurite.stopNow();
                stopped.countDown();
            });
            AtomicReference<AzureEngineRig.Drained> drained = new AtomicReference<>();
            Thread worker = new Thread(() -> drained.set(rig.drain(Duration.ofSeconds(150))), "outage-worker");
            worker.start();
            assertThat(stopped.await(90, TimeUnit.SECONDS)).as("storage stopped mid-run").isTrue();
            int deliveredBeforeStop = rig.channel.deliveries().size();
            Thread.sleep(OUTAGE.toMillis());
            azurite.startAgain();
            worker.join();

            assertThat(drained.get().empty()).as("the queue empties after storage returns").isTrue();
            Map<String, Map<String, Set<String>>> ids = rig.idsByStep(ACCOUNT, "outage");
            long lost = 0;
            long doubled = 0;
            for (int i = 0; i < subscribers; i++) {
                EnrollmentKey key = key("outage", i);
                Map<String, Set<String>> steps = ids.getOrDefault(key.subscriberId(), Map.of());
                lost += Set.of("step-1").stream().filter(s -> !steps.containsKey(s)).count();
                doubled += steps.values().stream().filter(s -> s.size() > 1).count();
                assertThat(rig.enrollment(key).status()).as(key.toString()).isEqualTo(EnrollmentStatus.COMPLETED);
                assertThat(rig.sentIds(key)).as(key + ": the channel saw what was recorded")
                        .isEqualTo(AzureEngineRig.recordedIds(rig.enrollment(key)));
            }
            long resent = rig.channel.deliveries().size() - rig.channel.deliveries().stream()
                    .map(d -> d.deliveryId().value()).distinct().count();
            ReliabilityFigures.record("storage_outage.subscribers", subscribers);
            ReliabilityFigures.record("storage_outage.delivered_before_stop", deliveredBeforeStop);
            ReliabilityFigures.record("storage_outage.ticks_failed_and_redelivered", drained.get().failed());
            ReliabilityFigures.record("storage_outage.resends_under_the_same_id", resent);
            ReliabilityFigures.record("storage_outage.messages_lost", lost);
            ReliabilityFigures.record("storage_outage.doubled_delivery_ids", doubled);
            assertThat(drained.get().failed()).as("the outage reached the engine: ticks failed").isPositive();
            assertThat(resent).as("the tick that sent before the outage sent again under its id").isPositive();
            assertThat(lost).isZero();
            assertThat(doubled).isZero();
        }
    }

    @Test
    void throttled_queue_and_table_requests_are_retried_by_the_sdk_without_losing_a_step() {
        ServerBusy busy = new ServerBusy(5, 10);
        AzureEngineRig rig = rigWith(Azurite.shared().connectionString(), busy);
        try (rig) {
            rig.catalog.define(ACCOUNT, "busy", RacesOnStorageTest.draft("b", 2, ReentryPolicy.NEVER));
            busy.armed = true;
            int subscribers = 8;
            IntStream.range(0, subscribers).parallel().forEach(i -> rig.enrollments.enroll(key("busy", i)));
            AzureEngineRig.Drained drained = rig.drain(Duration.ofSeconds(90));
            busy.armed = false;
            assertThat(drained.empty()).isTrue();
            assertThat(drained.failed()).as("every 503 was absorbed by the SDK's retry policy").isZero();
            for (int i = 0; i < subscribers; i++) {
                assertOnceEach(rig, key("busy", i), List.of("step-1", "step-2"));
            }
            ReliabilityFigures.record("throttling.injected_503_queue", busy.queueFaults.get());
            ReliabilityFigures.record("throttling.injected_503_table", busy.tableFaults.get());
            assertThat(busy.queueFaults.get()).isPositive();
            assertThat(busy.tableFaults.get()).isPositive();
        }
    }

    @Test
    void etag_conflicts_on_enrollment_writes_are_retried_from_the_new_state() {
        String connection = Azurite.shared().connectionString();
        TableServiceClient plain = new TableServiceClientBuilder().connectionString(connection).buildClient();
        CompetingWriter competitor = new CompetingWriter(plain);
        AzureEngineRig rig = rigWith(connection, competitor);
        try (rig) {
            rig.catalog.define(ACCOUNT, "etag", RacesOnStorageTest.draft("e", 3, ReentryPolicy.NEVER));
            competitor.armed = true;
            int subscribers = 12;
            int leaving = 4;
            for (int i = 0; i < subscribers; i++) {
                rig.enrollments.enroll(key("etag", i));
            }
            for (int i = 0; i < leaving; i++) {
                rig.enrollments.leave(key("etag", i));
            }
            AzureEngineRig.Drained drained = rig.drain(Duration.ofSeconds(60));
            competitor.armed = false;
            assertThat(drained.empty()).isTrue();
            for (int i = 0; i < subscribers; i++) {
                EnrollmentKey key = key("etag", i);
                if (i < leaving) {
                    assertThat(rig.enrollment(key).leaveReason()).contains(LeaveReason.UNSUBSCRIBED);
                    assertThat(rig.sentIds(key)).as(key + ": nothing after leaving").isEmpty();
                } else {
                    assertOnceEach(rig, key, List.of("step-1", "step-2", "step-3"));
                }
            }
            ReliabilityFigures.record("etag_conflicts.injected_412", competitor.conflicts.get());
            ReliabilityFigures.record("etag_conflicts.ticks_failed_and_redelivered", drained.failed());
            assertThat(competitor.conflicts.get()).isGreaterThan(subscribers);
        }
    }

    private static void assertOnceEach(AzureEngineRig rig, EnrollmentKey key, List<String> steps) {
        assertThat(rig.enrollment(key).status()).as(key.toString()).isEqualTo(EnrollmentStatus.COMPLETED);
        Map<String, Set<String>> ids = rig.channel.deliveries().stream().filter(d -> d.key().equals(key))
                .collect(Collectors.groupingBy(Delivery::stepId,
                        Collectors.mapping(d -> d.deliveryId().value(), Collectors.toSet())));
        assertThat(ids.keySet()).as(key.toString()).containsExactlyInAnyOrderElementsOf(steps);
        assertThat(ids.values()).as(key + ": one id per step").allSatisfy(s -> assertThat(s).hasSize(1));
        assertThat(rig.sentIds(key)).isEqualTo(AzureEngineRig.recordedIds(rig.enrollment(key)));
    }

    private static EnrollmentKey key(String sequence, int i) {
        return new EnrollmentKey(ACCOUNT, sequence, "sub-" + i);
    }

    /** The engine on clients built as the app builds them (its queue retries, the tables' default), plus {@code policy}. */
    private static AzureEngineRig rigWith(String connection, HttpPipelinePolicy policy) {
        HttpClient http = StorageClients.storageHttpClient();
        Function<String, QueueClient> queues = name -> new QueueClientBuilder().connectionString(connection)
                .queueName(name).messageEncoding(QueueMessageEncoding.BASE64).httpClient(http).addPolicy(policy)
                .retryOptions(StorageHttp.QUEUE_RETRIES).buildClient();
        TableServiceClient tables = new TableServiceClientBuilder().connectionString(connection).httpClient(http)
                .addPolicy(policy).buildClient();
        return new AzureEngineRig(queues, tables::getTableClient, 2);
    }

    /**
     * Answers 503 Server Busy, without passing the request on, to the first attempt of every n-th table and
     * queue call; the SDK's retry policy (which runs before this per-try policy) must try again.
     */
    static final class ServerBusy implements HttpPipelinePolicy {
        private final int tableEvery;
        private final int queueEvery;
        private final AtomicLong tableCalls = new AtomicLong();
        private final AtomicLong queueCalls = new AtomicLong();
        private final Set<String> seen = ConcurrentHashMap.newKeySet();
        final AtomicLong queueFaults = new AtomicLong();
        final AtomicLong tableFaults = new AtomicLong();
        volatile boolean armed;

        ServerBusy(int tableEvery, int queueEvery) {
            this.tableEvery = tableEvery;
            this.queueEvery = queueEvery;
        }

        private boolean failThisTry(HttpRequest request) {
            String callId = request.getHeaders().getValue("x-ms-client-request-id");
            if (!armed || callId == null || !seen.add(callId)) {
                return false;
            }
            boolean queue = request.getUrl().toString().contains("/devstoreaccount1/rig-ticks");
            if ((queue ? queueCalls : tableCalls).incrementAndGet() % (queue ? queueEvery : tableEvery) != 0) {
                return false;
            }
            (queue ? queueFaults : tableFaults).incrementAndGet();
            return true;
        }

        @Override
        public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
            return failThisTry(context.getHttpRequest()) ? Mono.just(new Busy(context.getHttpRequest())) : next.process();
        }

        @Override
        public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
            return failThisTry(context.getHttpRequest()) ? new Busy(context.getHttpRequest()) : next.processSync();
        }
    }

    /** A 503 Server Busy answer with no body. */
    static final class Busy extends HttpResponse {
        private final HttpHeaders headers = new HttpHeaders().set("x-ms-error-code", "ServerBusy");

        Busy(HttpRequest request) {
            super(request);
        }

        @Override
        public int getStatusCode() {
            return 503;
        }

        @Override
        @Deprecated
        public String getHeaderValue(String name) {
            return headers.getValue(name);
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return Flux.empty();
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return Mono.just(new byte[0]);
        }

        @Override
        public Mono<String> getBodyAsString() {
            return Mono.just("");
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return Mono.just("");
        }
    }

    /**
     * Before every other conditional write (If-Match) to an enrollment row, rewrites that row through another
     * client, so the write meets a new ETag and is refused with 412, as when another instance wrote first.
     */
    static final class CompetingWriter implements HttpPipelinePolicy {
        private static final Pattern ROW = Pattern.compile("/(rigenr[0-9a-f]+)\\(PartitionKey='(.*)',RowKey='(.*)'\\)");
        private static final Pattern BATCH_UPDATE = Pattern.compile(
                "(?:PUT|MERGE) https?://[^/]+(/\\S+) HTTP/1\\.1\r\n(?:[^\r\n]+\r\n)*?If-Match: W");
        private final TableServiceClient plain;
        private final AtomicLong conditionalWrites = new AtomicLong();
        private final Set<String> seen = ConcurrentHashMap.newKeySet();
        final AtomicLong conflicts = new AtomicLong();
        volatile boolean armed;

        CompetingWriter(TableServiceClient plain) {
            this.plain = plain;
        }

        private void maybeCompete(HttpRequest request) {
            String callId = request.getHeaders().getValue("x-ms-client-request-id");
            if (!armed || callId == null || !seen.add(callId)) {
                return;
            }
            Optional<String> target = conditionalWriteTarget(request);
            if (target.isEmpty()) {
                return;
            }
            Matcher row = ROW.matcher(URLDecoder.decode(target.get(), StandardCharsets.UTF_8));
            if (!row.find() || row.group(3).startsWith("~") || conditionalWrites.incrementAndGet() % 2 != 0) {
                return;
            }
            String pk = row.group(2).replace("''", "'");
            String rk = row.group(3).replace("''", "'");
            TableClient table = plain.getTableClient(row.group(1));
            TableEntity current = table.getEntity(pk, rk);
            table.updateEntity(new TableEntity(pk, rk).setProperties(current.getProperties()));
            conflicts.incrementAndGet();
        }

        /**
         * The row a conditional update writes: the request's own, or the first conditional update inside a batch
         * (enrollment writes that change a sequence's counts go out as a batch with the tally row).
         */
        private static Optional<String> conditionalWriteTarget(HttpRequest request) {
            if (request.getUrl().getPath().endsWith("$batch")) {
                BinaryData body = request.getBodyAsBinaryData();
                Matcher update = body == null ? null : BATCH_UPDATE.matcher(body.toString());
                return update != null && update.find() ? Optional.of(update.group(1)) : Optional.empty();
            }
            String ifMatch = request.getHeaders().getValue("If-Match");
            if (ifMatch == null || ifMatch.equals("*") || request.getHttpMethod() == HttpMethod.GET
                    || request.getHttpMethod() == HttpMethod.DELETE) {
                return Optional.empty();
            }
            return Optional.of(request.getUrl().getPath());
        }

        @Override
        public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
            return Mono.fromRunnable(() -> maybeCompete(context.getHttpRequest()))
                    .subscribeOn(Schedulers.boundedElastic()).then(next.process());
        }

        @Override
        public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
            maybeCompete(context.getHttpRequest());
            return next.processSync();
        }
    }
}
