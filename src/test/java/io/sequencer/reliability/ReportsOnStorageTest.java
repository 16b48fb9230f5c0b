package io.sequencer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.adapters.azure.TableEnrollmentStore;
import io.sequencer.adapters.azure.TablePoisonedTicks;
import io.sequencer.adapters.azure.TableSequenceStore;
import io.sequencer.adapters.json.stored.StoredChannelForms;
import io.sequencer.channel.ChannelTypes;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.report.SequenceReport;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.subscriber.SubscriberEvent;
import io.sequencer.engine.Sequencer;
import io.sequencer.engine.report.Reports;
import io.sequencer.engine.send.SendResult;
import io.sequencer.testing.AzureEngineRig;
import io.sequencer.testing.Azurite;
import io.sequencer.testing.ReliabilityFigures;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Reports on real Table storage: exact under duplicates and retries, and as cheap for 10,000 as for 10. */
class ReportsOnStorageTest {
    private static final StoredChannelForms STORED_CHANNELS = ChannelTypes.ALL.storedForms();
    private static final String ACCOUNT = "reporting";

    @Test
    void counts_are_exact_when_every_tick_runs_three_times_at_once_sends_are_retried_and_events_repeat() {
        try (AzureEngineRig rig = new AzureEngineRig(Azurite.shared().clients(), 2)) {
            rig.catalog.define(ACCOUNT, "exact", new SequenceDraft("Exact", List.of(
                    new Step("one", Delay.of(0, DelayUnit.SECONDS), "{}"),
                    new Step("two", Delay.of(1, DelayUnit.SECONDS), "{}")),
                    new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty())));
            List<String> subscribers = IntStream.range(0, 12).mapToObj(i -> "sub-" + i).toList();
            Duration soon = Duration.ofMillis(200);
            rig.channel.thenAnswer(new SendResult.TransientFailure("HTTP 503", soon),
                    new SendResult.TransientFailure("HTTP 429", soon), new SendResult.TransientFailure("timeout", soon));
            for (String id : subscribers) {
                rig.enrollments.enroll(new EnrollmentKey(ACCOUNT, "exact", id));
                rig.enrollments.enroll(new EnrollmentKey(ACCOUNT, "exact", id));
            }
            assertThat(rig.drain(Duration.ofSeconds(60), 3).empty()).isTrue();
            for (String id : subscribers.subList(0, 4)) {
                SubscriberEvent click = new SubscriberEvent(id, EventType.CLICKED, Optional.empty(), Optional.of("exact"),
                        Optional.of("one"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
                rig.events.record(ACCOUNT, click);
                rig.events.record(ACCOUNT, click);
            }

            SequenceReport report = rig.reports.sequence(ACCOUNT, "exact", Optional.empty(), Optional.empty());
            assertThat(rig.channel.deliveries().size()).as("sends tried, with retries and racing copies")
                    .isGreaterThan(24);
            assertThat(report.enrollments().enrolled()).isEqualTo(12);
            assertThat(report.enrollments().completed()).isEqualTo(12);
            assertThat(report.enrollments().active()).isZero();
            assertThat(report.steps()).extracting(SequenceReport.StepFigures::sent).containsExactly(12L, 12L);
            assertThat(report.steps().get(0).clicked()).isEqualTo(4);
            assertThat(report.steps().get(0).read()).isEqualTo(4);
            assertThat(report.steps().get(0).failedTotal()).isZero();
            ReliabilityFigures.record("reports.sends_tried_for_24_counted", rig.channel.deliveries().size());
        }
    }

    @Test
    void a_report_makes_the_same_few_storage_requests_for_ten_thousand_enrollments_as_for_ten() throws Exception {
        StorageClients storage = StorageClients.fromSettings(
                name -> name.equals(StorageClients.CONNECTION) ? Azurite.shared().connectionString() : null);
        String unique = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        storage.ensureExists("report-" + unique, "repseq" + unique, "repenr" + unique);
        var sequences = new TableSequenceStore(storage.table("repseq" + unique), STORED_CHANNELS);
        var enrollments = new TableEnrollmentStore(storage.table("repenr" + unique));
        Reports reports = new Reports(sequences, enrollments, new TablePoisonedTicks(storage.table("repenr" + unique)),
                Clock.systemUTC());
        Sequencer.builder().stores(sequences, null, null).build().sequences().define(ACCOUNT, "big", new SequenceDraft("Big", List.of(
                new Step("one", Delay.of(1, DelayUnit.DAYS), "{}")),
                new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty())));

        enroll(enrollments, 0, 10);
        long small = requestsOfOneReport(storage, reports, 10);
        enroll(enrollments, 10, 10_000);
        long large = requestsOfOneReport(storage, reports, 10_000);

        ReliabilityFigures.record("reports.storage_requests_per_report_10k_enrollments", large);
        assertThat(large).as("sequence read, tally rows, poisoned ticks").isEqualTo(small).isLessThanOrEqualTo(3);
    }

    private static long requestsOfOneReport(StorageClients storage, Reports reports, long enrolled) {
        long before = storage.tableTransactions();
        SequenceReport report = reports.sequence(ACCOUNT, "big", Optional.empty(), Optional.empty());
        long requests = storage.tableTransactions() - before;
        assertThat(report.enrollments().enrolled()).isEqualTo(enrolled);
        assertThat(report.enrollments().active()).isEqualTo(enrolled);
        assertThat(report.steps().get(0).scheduled()).isEqualTo(enrolled);
        return requests;
    }

    /** Writes enrollments {@code from} (inclusive) to {@code to} (exclusive) as the enroll path does, 8 at a time. */
    private static void enroll(TableEnrollmentStore store, int from, int to) throws Exception {
        Step first = new Step("one", Delay.of(1, DelayUnit.DAYS), "{}");
        Instant now = Instant.now();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int worker = 0; worker < 8; worker++) {
                int offset = worker;
                done.add(pool.submit(() -> {
                    for (int i = from + offset; i < to; i += 8) {
                        store.create(Enrollment.start(new EnrollmentKey(ACCOUNT, "big", "s" + i), 1, first,
                                now.plus(Duration.ofDays(1)), now, "t" + i, Optional.empty(), Origin.HOST));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
