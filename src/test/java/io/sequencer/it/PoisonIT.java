package io.sequencer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.PeekedMessageItem;
import io.sequencer.functions.FunctionApp;
import io.sequencer.testing.Azurite;
import io.sequencer.testing.LocalHostFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trigger path decodes exactly as the Functions host: base64 text only. A message that always fails is
 * retried {@code maxDequeueCount} times and then lands in the poison queue, unchanged.
 */
class PoisonIT {
    private static LocalHostFixture host;
    private static QueueClient ticks;
    private static QueueClient poison;

    @BeforeAll
    static void start() {
        // Same host.json as deployed, except failed messages come back after 1 s instead of 30 s.
        host = LocalHostFixture.start(hostJson -> hostJson.with("extensions").with("queues")
                .put("visibilityTimeout", "00:00:01").put("maxPollingInterval", "00:00:00.500"));
        ticks = raw(FunctionApp.TICK_QUEUE);
        poison = raw(FunctionApp.TICK_QUEUE + "-poison");
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
        ticks.sendMessage(base64(marker));
        String expected = base64(marker);
        EndToEndIT.await(() -> poisoned().contains(expected), Duration.ofSeconds(60));
        assertThat(poisoned()).containsOnlyOnce(expected);
    }

    @Test
    void a_message_that_is_not_base64_is_poisoned_at_once_without_running_the_function() {
        String plainJson = "{\"v\":1,\"plain\":\"" + UUID.randomUUID() + "\"}";
        ticks.sendMessage(plainJson);
        EndToEndIT.await(() -> poisoned().contains(plainJson), Duration.ofSeconds(60));
    }

    @Test
    void the_worker_logs_why_it_poisons_a_malformed_tick_and_goes_on_delivering() throws Exception {
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(record.getLoggerName() + " " + record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        java.util.logging.Logger.getLogger("").addHandler(capture);
        try (var sink = new io.sequencer.local.WebhookSink(null)) {
            String marker = "garbage-" + UUID.randomUUID();
            ticks.sendMessage(base64(marker));
            EndToEndIT.await(() -> poisoned().contains(base64(marker)), Duration.ofSeconds(60));
            assertThat(logged).anySatisfy(line -> assertThat(line).contains("outcome=malformed").contains("reason=malformed tick"));

            String account = "poison-" + UUID.randomUUID().toString().substring(0, 8);
            String path = "/api/accounts/" + account + "/sequences/after";
            host.call("PUT", path, "{\"name\":\"After\",\"steps\":[{\"id\":\"one\",\"delay\":{\"amount\":0,"
                    + "\"unit\":\"seconds\"},\"message\":{\"text\":\"still here\"}}],\"channel\":{\"type\":\"webhook\","
                    + "\"url\":\"" + sink.url() + "\"}}");
            host.call("PUT", path + "/subscribers/ann", null);
            EndToEndIT.await(() -> sink.received().stream()
                    .anyMatch(r -> r.payload().path("account").asText().equals(account)), Duration.ofSeconds(30));
        } finally {
            java.util.logging.Logger.getLogger("").removeHandler(capture);
        }
    }

    private static List<String> poisoned() {
        return poison.peekMessages(32, null, null).stream().map(PeekedMessageItem::getBody)
                .map(b -> b.toString()).toList();
    }
}
