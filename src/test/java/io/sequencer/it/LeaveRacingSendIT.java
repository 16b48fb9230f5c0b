package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.sequencer.adapters.json.Json;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.LocalHostFixture;
import io.sequencer.testing.ReliabilityFigures;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * As a new user would try it, on the local host, Azurite and a real receiver: enroll, then leave 0 to 0.6 s
 * later, twenty times. The receiver answers after 300 ms, as many do, so leaves often land while step one is on
 * the wire. Every step the receiver got is on its subscriber's enrollment, in the timeline, in the report and in
 * the lifecycle notifications, whoever won.
 */
class LeaveRacingSendIT {
    private static final int ROUNDS = 20;
    private static final Duration RECEIVER_ANSWERS_AFTER = Duration.ofMillis(300);

    private static LocalHostFixture host;
    private static WebhookSink sink;
    private static HttpServer noticeReceiver;
    private static final List<JsonNode> notices = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        host = LocalHostFixture.start();
        sink = new WebhookSink(LocalHostFixture.HOOK_SECRET);
        sink.onReceive(received -> pause(RECEIVER_ANSWERS_AFTER));
        noticeReceiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        noticeReceiver.createContext("/notices", exchange -> {
            try (exchange) {
                Json.read(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                        .forEach(notices::add);
                exchange.sendResponseHeaders(204, -1);
            }
        });
        noticeReceiver.start();
    }

    @AfterAll
    static void stop() {
        noticeReceiver.stop(0);
        sink.close();
        host.close();
    }

    private static void pause(Duration time) {
        try {
            Thread.sleep(time.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void every_step_a_receiver_got_is_recorded_counted_and_notified_however_a_leave_races_it() {
        String account = "race-" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/api/accounts/" + account + "/sequences/welcome";
        assertThat(host.call("PUT", "/api/accounts/" + account + "/notifications",
                "{\"url\":\"http://127.0.0.1:%d/notices\",\"secretSetting\":\"%s\"}".formatted(
                        noticeReceiver.getAddress().getPort(), LocalHostFixture.hookSecretSetting(account))).statusCode())
                .isEqualTo(201);
        assertThat(host.call("PUT", path, """
                {"name":"Two steps","steps":[
                  {"id":"one","delay":{"amount":0,"unit":"seconds"},"message":{"text":"first"}},
                  {"id":"two","delay":{"amount":1,"unit":"hours"},"message":{"text":"second"}}],
                 "channel":{"type":"webhook","url":"%s","secretSetting":"%s"}}""".formatted(
                        sink.url(), LocalHostFixture.hookSecretSetting(account))).statusCode()).isEqualTo(201);
        Random random = new Random(18);
        List<String> subscribers = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String subscriber = "s" + round;
            subscribers.add(subscriber);
            assertThat(host.call("PUT", path + "/subscribers/" + subscriber, null).statusCode()).isEqualTo(201);
            pause(Duration.ofMillis(random.nextInt(601)));
            assertThat(host.call("DELETE", path + "/subscribers/" + subscriber, null).statusCode()).isEqualTo(200);
        }
        // A tick that read the enrollment before the leave may still be sending: wait until nothing is on the wire.
        pause(Duration.ofSeconds(3));
        Set<String> receivedIds = received(account);
        try {
            await(() -> recordedIds(path, subscribers).equals(receivedIds), Duration.ofSeconds(20));
        } catch (AssertionError stillDiffers) {
            // The assertions below say which subscriber lacks what.
        }

        int recordedAfterTheLeave = 0;
        for (String subscriber : subscribers) {
            JsonNode state = Json.read(host.call("GET", path + "/subscribers/" + subscriber, null).body());
            if (state.path("steps").size() == 1 && Instant.parse(state.path("steps").get(0).path("at").asText())
                    .isAfter(Instant.parse(state.path("updatedAt").asText()))) {
                recordedAfterTheLeave++; // the send finished after the leave was written: the race this test is about
            }
            List<String> got = sink.received().stream()
                    .filter(r -> r.payload().path("account").asText().equals(account) && r.subscriberId().equals(subscriber))
                    .map(WebhookSink.Received::deliveryId).distinct().toList();
            assertThat(state.path("status").asText()).as(subscriber).isEqualTo("left");
            assertThat(state.path("stepsSent").asInt()).as(subscriber + ": stepsSent").isEqualTo(got.size());
            assertThat(state.path("steps")).as(subscriber + ": step records").extracting(n -> n.path("deliveryId").asText())
                    .containsExactlyElementsOf(got);
            JsonNode timeline = Json.read(host.call("GET", "/api/accounts/" + account + "/subscribers/" + subscriber
                    + "/timeline", null).body());
            assertThat(StreamSupport.stream(timeline.path("entries").spliterator(), false)
                    .filter(e -> e.has("deliveryId")).map(e -> e.path("deliveryId").asText()).toList())
                    .as(subscriber + ": timeline").containsExactlyElementsOf(got);
        }
        JsonNode report = Json.read(host.call("GET", path + "/report", null).body());
        assertThat(report.path("steps").get(0).path("sent").asLong()).as("report counts what the receiver got")
                .isEqualTo(receivedIds.size());
        try {
            // Notices go out after the writes they report, through the notice queue: wait for both kinds.
            await(() -> notified(account, "step.sent").equals(receivedIds)
                    && notified(account, "enrollment.left").size() == ROUNDS, Duration.ofSeconds(30));
        } catch (AssertionError stillDiffers) {
            // Asserted below.
        }
        assertThat(notified(account, "step.sent")).as("a step.sent notice for every delivery").isEqualTo(receivedIds);
        assertThat(notified(account, "enrollment.left")).as("one left notice per subscriber").hasSize(ROUNDS);
        ReliabilityFigures.record("races.leave_vs_send_over_http.rounds", ROUNDS);
        ReliabilityFigures.record("races.leave_vs_send_over_http.step_received", receivedIds.size());
        ReliabilityFigures.record("races.leave_vs_send_over_http.recorded_after_the_leave", recordedAfterTheLeave);
    }

    private static Set<String> received(String account) {
        return sink.received().stream().filter(r -> r.payload().path("account").asText().equals(account))
                .map(WebhookSink.Received::deliveryId).collect(Collectors.toSet());
    }

    private static Set<String> recordedIds(String path, List<String> subscribers) {
        return subscribers.stream()
                .flatMap(s -> StreamSupport.stream(Json.read(host.call("GET", path + "/subscribers/" + s, null).body())
                        .path("steps").spliterator(), false))
                .map(n -> n.path("deliveryId").asText()).collect(Collectors.toSet());
    }

    /** Delivery ids (step notices) or subscribers (others) of the notices of {@code type} received for the account. */
    private static Set<String> notified(String account, String type) {
        return notices.stream().filter(n -> n.path("account").asText().equals(account) && n.path("type").asText().equals(type))
                .map(n -> n.has("deliveryId") ? n.path("deliveryId").asText() : n.path("subscriberId").asText())
                .collect(Collectors.toSet());
    }
}
