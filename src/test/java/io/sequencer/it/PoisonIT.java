package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.fasterxml.jackson.databind.JsonNode;
import com.azure.storage.queue.models.PeekedMessageItem;
import io.sequencer.adapters.json.Json;
import io.sequencer.adapters.json.TickCodec;
import io.sequencer.domain.report.PoisonSummary;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.poison.PoisonSweeper;
import io.sequencer.engine.poison.PoisonedTicks;
import io.sequencer.functions.FunctionApp;
import io.sequencer.functions.Settings;
import io.sequencer.functions.StorageNames;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.Azurite;
import io.sequencer.testing.LocalHostFixture;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trigger path decodes exactly as the Functions host: base64 text only. A message that always fails is
 * retried {@code maxDequeueCount} times and then lands in the poison queue, unchanged. A tick that lands there
 * is recorded for its sequence with the error of its last attempt, swept out of the poison queue, and
 * delivered once when replayed after its cause is fixed.
 */
class PoisonIT {
    private static LocalHostFixture host;
    private static QueueClient ticks;
    private static QueueClient poison;

    @BeforeAll
    static void start() {
        // Same host.json as deployed, except failed messages come back after 1 s instead of 30 s. The sweeper is
        // disabled (as an app setting disables a function on the real host) so that the poison queue holds what
        // these tests look for until a test sweeps it itself.
        // One timer shard, so that every tick of these tests is in the queues read here (ShardsIT covers the others).
        host = LocalHostFixture.start(Map.of("AzureWebJobs.sweepPoison.Disabled", "true", Settings.TICK_SHARDS, "1"),
                hostJson -> hostJson.with("extensions").with("queues")
                        .put("visibilityTimeout", "00:00:01").put("maxPollingInterval", "00:00:00.500"));
        ticks = raw(StorageNames.TICK_QUEUE);
        poison = raw(StorageNames.TICK_QUEUE + "-poison");
        ticks.createIfNotExists();
        poison.createIfNotExists();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    private static QueueClient raw(String name) {
        return new QueueClientBuilder().connectionString(Azurite.shared().connectionString()).queueName(name)
                .messageEncoding(QueueMessageEncoding.NONE).buildClient();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_message_that_always_fails_ends_in_the_poison_queue_after_five_tries() {
        String marker = "not-a-tick-" + UUID.randomUUID();
        try (LogCapture log = new LogCapture()) {
            String id = ticks.sendMessage(base64(marker)).getMessageId();
            String expected = base64(marker);
            // The host logs the move after it is done, so the message can be seen in the poison queue a moment
            // before the log line is written: wait for both.
            await(() -> poisoned().contains(expected)
                    && log.lines().stream().anyMatch(line -> line.contains("message " + id + " moved to")),
                    Duration.ofSeconds(60));
            assertThat(poisoned()).containsOnlyOnce(expected);
            assertThat(log.lines()).as("the function ran on each of the five tries, then the message was poisoned")
                    .filteredOn(line -> line.contains("failed on message " + id + " "))
                    .extracting(line -> line.replaceAll("(?s).*\\(dequeue count (\\d+)\\).*", "$1"))
                    .containsExactly("1", "2", "3", "4", "5");
            assertThat(log.lines()).filteredOn(line -> line.contains("message " + id + " moved to")).hasSize(1);
        }
    }

    @Test
    void a_message_that_is_not_base64_is_poisoned_at_once_without_running_the_function() {
        String plainJson = "{\"v\":1,\"plain\":\"" + UUID.randomUUID() + "\"}";
        try (LogCapture log = new LogCapture()) {
            long sent = System.nanoTime();
            String id = ticks.sendMessage(plainJson).getMessageId();
            await(() -> poisoned().contains(plainJson), Duration.ofSeconds(60));
            Duration took = Duration.ofNanos(System.nanoTime() - sent);
            assertThat(log.lines()).as("the function never ran on it").noneMatch(line -> line.contains("failed on message " + id));
            assertThat(log.lines()).filteredOn(line -> line.contains("message " + id + " is not valid base64")).hasSize(1);
            // Five tries would take at least four visibility timeouts (1 s each here) before the poison queue.
            assertThat(took).as("poisoned on its first receipt").isLessThan(Duration.ofSeconds(4));
        }
    }

    /** Every log record of the host (it runs in this JVM) while open. */
    private static final class LogCapture extends Handler implements AutoCloseable {
        private final List<String> lines = new CopyOnWriteArrayList<>();

        LogCapture() {
            Logger.getLogger("").addHandler(this);
        }

        List<String> lines() {
            return lines;
        }

        @Override
        public void publish(LogRecord record) {
            lines.add(record.getLoggerName() + " " + record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            Logger.getLogger("").removeHandler(this);
        }
    }

    @Test
    void the_worker_logs_why_it_poisons_a_malformed_tick_and_goes_on_delivering() throws Exception {
        try (LogCapture log = new LogCapture(); var sink = new io.sequencer.local.WebhookSink(null)) {
            List<String> logged = log.lines();
            String marker = "garbage-" + UUID.randomUUID();
            ticks.sendMessage(base64(marker));
            await(() -> poisoned().contains(base64(marker)), Duration.ofSeconds(60));
            assertThat(logged).anySatisfy(line -> assertThat(line).contains("outcome=malformed").contains("reason=malformed tick"));

            String account = "poison-" + UUID.randomUUID().toString().substring(0, 8);
            String path = "/api/accounts/" + account + "/sequences/after";
            host.call("PUT", path, "{\"name\":\"After\",\"steps\":[{\"id\":\"one\",\"delay\":{\"amount\":0,"
                    + "\"unit\":\"seconds\"},\"message\":{\"text\":\"still here\"}}],\"channel\":{\"type\":\"webhook\","
                    + "\"url\":\"" + sink.url() + "\"}}");
            host.call("PUT", path + "/subscribers/ann", null);
            await(() -> sink.received().stream()
                    .anyMatch(r -> r.payload().path("account").asText().equals(account)), Duration.ofSeconds(30));
        }
    }

    @Test
    void a_tick_failing_every_attempt_is_kept_with_its_error_swept_from_the_poison_queue_and_once_fixed_replayed_once()
            throws Exception {
        try (var sink = new io.sequencer.local.WebhookSink(null)) {
            String account = "poison-" + UUID.randomUUID().toString().substring(0, 8);
            String path = "/api/accounts/" + account + "/sequences/fragile";
            assertThat(host.call("PUT", path, "{\"name\":\"Fragile\",\"steps\":[{\"id\":\"one\",\"delay\":{\"amount\":3,"
                    + "\"unit\":\"seconds\"},\"message\":{\"text\":\"at last\"}}],\"channel\":{\"type\":\"webhook\","
                    + "\"url\":\"" + sink.url() + "\"}}").statusCode()).isEqualTo(201);
            assertThat(host.call("PUT", path + "/subscribers/ann", null).statusCode()).isEqualTo(201);
            // Before the step is due, its enrollment becomes a row this version cannot read: every attempt fails.
            TableClient enrollments = Azurite.shared().clients().table(StorageNames.ENROLLMENTS_TABLE);
            setStatus(enrollments, account, "unreadable");

            await(() -> poisonedTicksOf(account) == 1, Duration.ofSeconds(60));
            PoisonedTicks store = FunctionApp.get().engine().poisonedTicks();
            PoisonSummary recorded = store.summary(account, "fragile");
            assertThat(recorded.count()).isEqualTo(1);
            assertThat(recorded.lastError()).hasValueSatisfying(error -> assertThat(error)
                    .startsWith("UnreadableStoredForm: stored enrollment " + account + "/fragile/ann: status cannot be read")
                    .endsWith("EnrollmentStatus.UNREADABLE"));
            assertThat(deliveriesTo(sink, account)).isZero();

            // The sweeper empties the poison queue of ticks; a message that is not one stays for a person.
            poison.sendMessage(base64("not a tick " + UUID.randomUUID()));
            long depth = poison.getProperties().getApproximateMessagesCount();
            PoisonSweeper.Run run = FunctionApp.get().engine().poisonSweeper().run(1_000, Duration.ofSeconds(40));
            assertThat(run.recorded()).isGreaterThanOrEqualTo(1);
            assertThat(run.setAside()).isGreaterThanOrEqualTo(1);
            assertThat(poisoned()).isEmpty();
            assertThat(poison.getProperties().getApproximateMessagesCount()).as("ticks deleted, the rest hidden")
                    .isEqualTo(depth - run.recorded());
            assertThat(store.summary(account, "fragile")).as("the recorded error is kept").isEqualTo(recorded);
            // What stays is counted where operators look: every poison queue, by name.
            JsonNode poisonQueues = Json.read(host.call("GET", "/api/metrics", null).body()).path("poisonQueues");
            assertThat(poisonQueues.path(StorageNames.TICK_POISON_QUEUE).asLong()).isPositive()
                    .isEqualTo(poison.getProperties().getApproximateMessagesCount());
            assertThat(poisonQueues.fieldNames()).toIterable().containsExactly(StorageNames.TICK_POISON_QUEUE,
                    StorageNames.tickPoisonQueue(1), StorageNames.tickPoisonQueue(2), StorageNames.tickPoisonQueue(3),
                    StorageNames.PARKED_POISON_QUEUE, StorageNames.BROADCAST_PARKED_POISON_QUEUE,
                    StorageNames.BROADCAST_PAGE_QUEUE + "-poison", StorageNames.BROADCAST_SEND_QUEUE + "-poison",
                    StorageNames.JOB_PAGE_QUEUE + "-poison", StorageNames.IMPORT_QUEUE + "-poison");

            // The cause is fixed; a replay delivers the step, once.
            setStatus(enrollments, account, "active");
            HttpResponse<String> replayed = host.call("POST", path + "/poison:replay", null);
            assertThat(replayed.statusCode()).isEqualTo(200);
            assertThat(Json.read(replayed.body())).isEqualTo(Json.read("{\"replayed\":1,\"more\":false}"));
            await(() -> Json.read(host.call("GET", path + "/subscribers/ann", null).body())
                    .path("status").asText().equals("completed"), Duration.ofSeconds(30));
            // Completed: any later copy of the tick would be stale, so what arrived by now is all that ever will.
            await(() -> deliveriesTo(sink, account) >= 1, Duration.ofSeconds(10));
            assertThat(deliveriesTo(sink, account)).isEqualTo(1);
            assertThat(store.summary(account, "fragile")).isEqualTo(PoisonSummary.NONE);
            assertThat(Json.read(host.call("POST", path + "/poison:replay", null).body()).path("replayed").asInt()).isZero();

            HttpResponse<String> unknown = host.call("POST", "/api/accounts/" + account + "/sequences/missing/poison:replay", null);
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.headers().firstValue("content-type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
        }
    }

    /** Changes only the stored enrollment's status, as a bad write or a bad migration could. */
    private static void setStatus(TableClient enrollments, String account, String status) {
        enrollments.updateEntity(new TableEntity(account + "|fragile", "ann").addProperty("status", status),
                TableEntityUpdateMode.MERGE);
    }

    private static long deliveriesTo(WebhookSink sink, String account) {
        return sink.received().stream().filter(r -> r.payload().path("account").asText().equals(account)).count();
    }

    /** Visible ticks of {@code account} in the tick queue's poison queue. */
    private static long poisonedTicksOf(String account) {
        return poisoned().stream().map(PoisonIT::tickIn).flatMap(Optional::stream)
                .filter(t -> t.key().account().equals(account)).count();
    }

    private static Optional<Tick> tickIn(String stored) {
        try {
            return Optional.of(TickCodec.decode(
                    new String(Base64.getDecoder().decode(stored), StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException | TickCodec.MalformedTick notATick) {
            return Optional.empty(); // the other tests' messages
        }
    }

    private static List<String> poisoned() {
        return poison.peekMessages(32, null, null).stream().map(PeekedMessageItem::getBody)
                .map(b -> b.toString()).toList();
    }
}
