package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import io.sequencer.functions.StorageNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.queue.QueueClient;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.timer.TimerShard;
import io.sequencer.functions.FunctionApp;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.Azurite;
import io.sequencer.testing.LocalHostFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stopping the local host while ticks are running: within the grace period they finish (sent, recorded,
 * deleted); past it their messages go back to the queue at once, and the next host delivers them under the
 * same delivery ids.
 */
class GracefulShutdownIT {
    private static final String ACCOUNT = "shutdown";
    private static final List<String> SUBSCRIBERS = List.of("s1", "s2", "s3");

    private Azurite storage;
    private WebhookSink sink;
    private LocalHostFixture host;

    @BeforeEach
    void start() throws Exception {
        storage = Azurite.startPrivate(); // its own queue, so the counts below are ours alone
        sink = new WebhookSink(LocalHostFixture.HOOK_SECRET);
        host = startHost();
    }

    @AfterEach
    void stop() {
        host.close();
        sink.close();
        storage.close();
    }

    private LocalHostFixture startHost() {
        return LocalHostFixture.start(Map.of("AzureWebJobsStorage", storage.connectionString()), hostJson -> { });
    }

    /**
     * The step falls due 2 s after enrolling, so every enrollment is stored by then: a tick that beat its enrollment
     * to storage would wait hidden for a second, unseen by the checks below, and miss the shutdown.
     */
    private void defineAndEnroll(String sequence) {
        String body = """
                {"name":"Slow receiver","steps":[{"id":"only","delay":{"amount":2,"unit":"seconds"},"message":{"text":"hi"}}],
                 "channel":{"type":"webhook","url":"%s","secretSetting":"%s"}}""".formatted(sink.url(), LocalHostFixture.hookSecretSetting(ACCOUNT));
        String path = "/api/accounts/" + ACCOUNT + "/sequences/" + sequence;
        assertThat(host.call("PUT", path, body).statusCode()).isEqualTo(201);
        for (String s : SUBSCRIBERS) {
            assertThat(host.call("PUT", path + "/subscribers/" + s, null).statusCode()).isEqualTo(201);
        }
    }

    @Test
    void ticks_running_at_shutdown_finish_within_the_grace_period() {
        sink.onReceive(r -> pause(Duration.ofMillis(800))); // the receiver answers slowly, one request at a time
        defineAndEnroll("finish");
        await(() -> sink.received().size() >= 1 && noneVisible(), Duration.ofSeconds(30));

        host.stop(Duration.ofSeconds(15));

        assertThat(sink.received()).extracting(WebhookSink.Received::subscriberId)
                .containsExactlyInAnyOrderElementsOf(SUBSCRIBERS);
        assertThat(tickCount()).as("every running tick was deleted").isZero();
        host = startHost();
        for (String s : SUBSCRIBERS) {
            var state = Json.read(host.call("GET", "/api/accounts/" + ACCOUNT + "/sequences/finish/subscribers/" + s, null).body());
            assertThat(state.path("status").asText()).as(s).isEqualTo("completed");
        }
    }

    @Test
    void ticks_still_running_after_the_grace_period_return_to_the_queue_at_once_and_are_delivered_under_the_same_ids() {
        sink.onReceive(r -> pause(Duration.ofSeconds(3)));
        defineAndEnroll("cut");
        await(() -> sink.received().size() >= 1 && noneVisible(), Duration.ofSeconds(30));

        Instant stopped = Instant.now();
        host.stop(Duration.ofMillis(200));
        // Not after the 10-minute running lease: visible now, for the next instance.
        await(() -> visibleTicks() >= 1, Duration.ofSeconds(5));
        assertThat(Duration.between(stopped, Instant.now())).isLessThan(Duration.ofSeconds(10));

        sink.onReceive(r -> { });
        host = startHost();
        String base = "/api/accounts/" + ACCOUNT + "/sequences/cut/subscribers/";
        await(() -> SUBSCRIBERS.stream().allMatch(s ->
                Json.read(host.call("GET", base + s, null).body()).path("status").asText().equals("completed")),
                Duration.ofSeconds(60));
        Map<String, Set<String>> ids = sink.received().stream().collect(Collectors.groupingBy(
                WebhookSink.Received::subscriberId, Collectors.mapping(WebhookSink.Received::deliveryId, Collectors.toSet())));
        assertThat(ids).containsOnlyKeys(SUBSCRIBERS);
        assertThat(ids.values()).as("one delivery id per step, however often it was sent").allSatisfy(s -> assertThat(s).hasSize(1));
    }

    /** Every tick has been taken by the host (none is waiting in any shard's queue). */
    private boolean noneVisible() {
        return visibleTicks() == 0;
    }

    private long visibleTicks() {
        return tickQueues().stream().mapToLong(queue -> queue.peekMessages(32, null, null).stream().count()).sum();
    }

    /** Ticks in every shard's queue, hidden ones included. */
    private long tickCount() {
        return tickQueues().stream().mapToLong(queue -> queue.getProperties().getApproximateMessagesCount()).sum();
    }

    private List<QueueClient> tickQueues() {
        return IntStream.range(0, TimerShard.MAX).mapToObj(shard -> storage.clients().queue(StorageNames.tickQueue(shard)))
                .toList();
    }

    private static void pause(Duration time) {
        try {
            Thread.sleep(time.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
