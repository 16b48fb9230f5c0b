package io.sequencer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.Step;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.NotFound;
import io.sequencer.testing.AzureEngineRig;
import io.sequencer.testing.Azurite;
import io.sequencer.testing.ReliabilityFigures;
import io.sequencer.testing.WaitingScan;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The report's {@code waiting} gauges on real Table storage, with storage failing under the writes: every third
 * batch (an enrollment write with its tally row) fails, half of them before they reach storage and half after
 * they were committed (the answer lost). Each failed call is retried as the queue or the caller would; the gauges
 * must still equal a scan of the enrollments.
 */
class WaitingCountsOnStorageTest {
    private static final String ACCOUNT = "gauges";

    @Test
    void gauges_equal_a_scan_when_enrollment_writes_fail_before_and_after_they_land() {
        String connection = Azurite.shared().connectionString();
        LostBatches faults = new LostBatches(3);
        try (AzureEngineRig rig = rigWith(connection, faults)) {
            rig.catalog.define(ACCOUNT, "gauged", draft(0, 86_400, 86_400));
            faults.armed = true;
            for (int i = 0; i < 10; i++) {
                EnrollmentKey key = new EnrollmentKey(ACCOUNT, "gauged", "sub-" + i);
                retried(() -> rig.enrollments.enroll(key));
            }
            for (int i = 0; i < 5; i++) {
                EnrollmentKey key = new EnrollmentKey(ACCOUNT, "gauged", "sub-" + i);
                int n = i;
                retried(() -> n < 2 ? rig.enrollments.leave(key) : rig.enrollments.move(key, "step-3"));
            }
            // The first step's ticks are due now: their sends commit under the same faults; the rest wait a day.
            rig.drain(Duration.ofSeconds(20));
            faults.armed = false;

            assertThat(faults.lostBefore.get()).isPositive();
            assertThat(faults.lostAfter.get()).isPositive();
            assertThat(WaitingScan.gauges(rig.enrollmentStore, ACCOUNT, "gauged"))
                    .isEqualTo(WaitingScan.scanned(rig.enrollmentStore, ACCOUNT, "gauged"))
                    .isEqualTo(Map.of("step-2", 5L, "step-3", 3L));
            ReliabilityFigures.record("waiting_gauges.batches_failed_before_storage", faults.lostBefore.get());
            ReliabilityFigures.record("waiting_gauges.batches_committed_answer_lost", faults.lostAfter.get());
        }
    }

    private static SequenceDraft draft(long... seconds) {
        List<Step> steps = new java.util.ArrayList<>();
        for (int i = 0; i < seconds.length; i++) {
            steps.add(new Step("step-" + (i + 1), Delay.of(seconds[i], DelayUnit.SECONDS), "{}"));
        }
        return new SequenceDraft("Gauges", steps,
                new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty()));
    }

    /** The caller's retry: a call that failed on storage is made again, a few times. */
    private static void retried(Supplier<?> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                call.get();
                return;
            } catch (NotFound | Conflict refused) {
                throw refused;
            } catch (RuntimeException failed) {
                if (attempt == 8) {
                    throw failed;
                }
            }
        }
    }

    private static AzureEngineRig rigWith(String connection, HttpPipelinePolicy policy) {
        HttpClient http = StorageClients.storageHttpClient();
        Function<String, QueueClient> queues = name -> new QueueClientBuilder().connectionString(connection)
                .queueName(name).messageEncoding(QueueMessageEncoding.BASE64).httpClient(http).buildClient();
        TableServiceClient tables = new TableServiceClientBuilder().connectionString(connection).httpClient(http)
                .addPolicy(policy).buildClient();
        return new AzureEngineRig(queues, tables::getTableClient, 2);
    }

    /**
     * Fails the first try of every n-th batch request: alternately answers 503 without passing it on, and passes
     * it on (storage commits it) and answers 503 instead of storage's answer.
     */
    static final class LostBatches implements HttpPipelinePolicy {
        private final int every;
        private final AtomicLong batches = new AtomicLong();
        private final Set<String> seen = ConcurrentHashMap.newKeySet();
        final AtomicLong lostBefore = new AtomicLong();
        final AtomicLong lostAfter = new AtomicLong();
        volatile boolean armed;

        LostBatches(int every) {
            this.every = every;
        }

        /** 0: pass; 1: fail before; 2: fail after. */
        private int fault(HttpRequest request) {
            String callId = request.getHeaders().getValue("x-ms-client-request-id");
            if (!armed || request.getHttpMethod() != HttpMethod.POST || !request.getUrl().getPath().endsWith("$batch")
                    || callId == null || !seen.add(callId)) {
                return 0;
            }
            long n = batches.incrementAndGet();
            if (n % every != 0) {
                return 0;
            }
            if ((n / every) % 2 == 0) {
                lostBefore.incrementAndGet();
                return 1;
            }
            lostAfter.incrementAndGet();
            return 2;
        }

        @Override
        public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
            HttpRequest request = context.getHttpRequest();
            return switch (fault(request)) {
                case 1 -> Mono.just(new StorageFaultsTest.Busy(request));
                case 2 -> next.process().map(landed -> new StorageFaultsTest.Busy(request));
                default -> next.process();
            };
        }

        @Override
        public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
            HttpRequest request = context.getHttpRequest();
            return switch (fault(request)) {
                case 1 -> new StorageFaultsTest.Busy(request);
                case 2 -> {
                    next.processSync().close();
                    yield new StorageFaultsTest.Busy(request);
                }
                default -> next.processSync();
            };
        }
    }
}
