package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.adapters.json.Json;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.LocalHostFixture;
import io.sequencer.testing.TickLines;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole path on the local host, Azurite and a real HTTP sink: define, enroll, deliver, leave. */
class EndToEndIT {
    private static LocalHostFixture host;
    private static WebhookSink sink;
    private static TickLines ticks;

    @BeforeAll
    static void start() throws Exception {
        ticks = TickLines.watch();
        host = LocalHostFixture.start();
        sink = new WebhookSink(LocalHostFixture.HOOK_SECRET);
    }

    @AfterAll
    static void stop() {
        sink.close();
        host.close();
        ticks.close();
    }

    private static String account() {
        return "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String sequence(String account, String url) {
        return """
                {"name":"Three steps","steps":[
                  {"id":"one","delay":{"amount":0,"unit":"seconds"},"message":{"text":"first"}},
                  {"id":"two","delay":{"amount":2,"unit":"seconds"},"message":{"text":"second"}},
                  {"id":"three","delay":{"amount":2,"unit":"seconds"},"message":{"text":"third"}}],
                 "channel":{"type":"webhook","url":"%s","secretSetting":"%s"}}""".formatted(url,
                LocalHostFixture.hookSecretSetting(account));
    }

    @Test
    void a_three_step_sequence_reaches_every_subscriber_in_order_signed_and_with_stable_ids() throws Exception {
        String account = account();
        String path = "/api/accounts/" + account + "/sequences/welcome";
        assertThat(host.call("PUT", path, sequence(account, sink.url())).statusCode()).isEqualTo(201);
        List<String> subscribers = List.of("s1", "s2", "s3", "s4", "s5");
        Instant enrolledAt = Instant.now();
        for (String s : subscribers) {
            assertThat(host.call("PUT", path + "/subscribers/" + s, null).statusCode()).isEqualTo(201);
        }
        await(() -> received(account).size() >= 15, Duration.ofSeconds(60));
        // Nothing more is due once every enrollment is complete. (A tick redelivered after a lost delete comes back
        // only after the 30 s visibility timeout; CrashAtEveryPortCallTest and the races cover that one.)
        await(() -> subscribers.stream().allMatch(s -> Json.read(host.call("GET", path + "/subscribers/" + s, null).body())
                .path("status").asText().equals("completed")), Duration.ofSeconds(10));

        List<WebhookSink.Received> got = received(account);
        Map<String, List<WebhookSink.Received>> bySubscriber = got.stream()
                .collect(Collectors.groupingBy(WebhookSink.Received::subscriberId));
        assertThat(bySubscriber).containsOnlyKeys(subscribers);
        for (String s : subscribers) {
            List<WebhookSink.Received> mine = bySubscriber.get(s);
            assertThat(mine).extracting(WebhookSink.Received::stepId).containsExactly("one", "two", "three");
            assertThat(mine).extracting(r -> r.payload().path("message").path("text").asText())
                    .containsExactly("first", "second", "third");
            // never early: each arrives at or after its due time, and steps are spaced by their delays
            assertThat(mine).allSatisfy(r -> assertThat(r.receivedAt()).isAfterOrEqualTo(r.dueAt()));
            assertThat(Duration.between(mine.get(0).receivedAt(), mine.get(1).receivedAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(mine.get(0).dueAt()).isAfterOrEqualTo(enrolledAt.minusSeconds(1));
        }
        assertThat(got).allSatisfy(r -> {
            assertThat(r.signatureValid()).isTrue();
            assertThat(r.idempotencyKey()).isEqualTo(r.deliveryId());
        });
        assertThat(got).extracting(WebhookSink.Received::deliveryId).doesNotHaveDuplicates();

        await(() -> Json.read(host.call("GET", path + "/subscribers/s1", null).body()).path("status").asText()
                .equals("completed"), Duration.ofSeconds(10));
        var state = Json.read(host.call("GET", path + "/subscribers/s1", null).body());
        assertThat(state.path("stepsSent").asInt()).isEqualTo(3);
        assertThat(state.path("steps")).extracting(n -> n.path("deliveryId").asText())
                .containsExactlyElementsOf(bySubscriber.get("s1").stream().map(WebhookSink.Received::deliveryId).toList());
    }

    @Test
    void a_subscriber_who_leaves_gets_nothing_after_leaving() throws Exception {
        String account = account();
        String path = "/api/accounts/" + account + "/sequences/welcome";
        host.call("PUT", path, sequence(account, sink.url()));
        host.call("PUT", path + "/subscribers/stays", null);
        host.call("PUT", path + "/subscribers/leaves", null);
        await(() -> received(account).stream().filter(r -> r.subscriberId().equals("leaves")).count() == 1, Duration.ofSeconds(30));
        var left = host.call("DELETE", path + "/subscribers/leaves", null);
        Instant leftAt = Instant.now();
        assertThat(left.statusCode()).isEqualTo(200);
        assertThat(Json.read(left.body()).path("status").asText()).isEqualTo("left");
        await(() -> received(account).stream().filter(r -> r.subscriberId().equals("stays")).count() == 3, Duration.ofSeconds(60));
        // The leaver's step two still fell due; once its tick has run (and dropped it) nothing of theirs is left.
        ticks.await(Duration.ofSeconds(30), "outcome=dropped", "account=" + account, "subscriber=leaves");
        assertThat(received(account)).filteredOn(r -> r.subscriberId().equals("leaves"))
                .allSatisfy(r -> assertThat(r.receivedAt()).isBefore(leftAt))
                .extracting(WebhookSink.Received::stepId).containsExactly("one");
    }

    @Test
    void a_step_the_webhook_refuses_with_503_is_retried_through_the_queue_under_the_same_delivery_id() {
        String account = account();
        String path = "/api/accounts/" + account + "/sequences/welcome";
        host.call("PUT", path, sequence(account, sink.url()).replace("\"amount\":2", "\"amount\":60"));
        sink.refuseNext(1, 503);
        host.call("PUT", path + "/subscribers/retried", null);
        await(() -> received(account).size() == 1, Duration.ofSeconds(60));
        WebhookSink.Received refused = sink.refused().stream()
                .filter(r -> r.payload().path("account").asText().equals(account)).findFirst().orElseThrow();
        WebhookSink.Received delivered = received(account).get(0);
        assertThat(delivered.deliveryId()).isEqualTo(refused.deliveryId());
        assertThat(refused.payload().path("attempt").asInt()).isEqualTo(1);
        assertThat(delivered.payload().path("attempt").asInt()).isEqualTo(2);
        // the back-off (10 s and up) was taken in the queue, not by sleeping in the function
        assertThat(Duration.between(refused.receivedAt(), delivered.receivedAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
        // the sink has it; the enrollment records it right after the webhook answered
        await(() -> Json.read(host.call("GET", path + "/subscribers/retried", null).body()).path("stepsSent").asInt() == 1,
                Duration.ofSeconds(10));
        var state = Json.read(host.call("GET", path + "/subscribers/retried", null).body());
        assertThat(state.path("steps").get(0).path("attempts").asInt()).isEqualTo(2);
        assertThat(state.path("steps").get(0).path("outcome").asText()).isEqualTo("sent");
    }

    private static List<WebhookSink.Received> received(String account) {
        return sink.received().stream().filter(r -> r.payload().path("account").asText().equals(account)).toList();
    }
}
