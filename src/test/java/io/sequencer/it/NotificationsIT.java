package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.sequencer.adapters.json.Json;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.LocalHostFixture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lifecycle notifications end to end on the local host and Azurite: a real receiver, run as a host would run
 * one, verifies each request's signature and gets every subscriber's full, ordered event stream, also after
 * answering 500 for a while.
 */
class NotificationsIT {
    private static LocalHostFixture host;
    private static WebhookSink steps;
    private static NoticeReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        host = LocalHostFixture.start();
        steps = new WebhookSink(LocalHostFixture.HOOK_SECRET);
        receiver = new NoticeReceiver(LocalHostFixture.HOOK_SECRET);
    }

    @AfterAll
    static void stop() {
        receiver.server.stop(0);
        steps.close();
        host.close();
    }

    /** The host's side: checks {@code X-Sequencer-Signature} with its own HMAC code and a 5-minute window. */
    static final class NoticeReceiver {
        final HttpServer server;
        final List<JsonNode> events = new CopyOnWriteArrayList<>();
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger badSignatures = new AtomicInteger();
        final AtomicInteger failNext = new AtomicInteger();

        NoticeReceiver(String secret) throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.createContext("/notices", exchange -> {
                try (exchange) {
                    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    requests.incrementAndGet();
                    if (!signatureHolds(secret, exchange.getRequestHeaders().getFirst("X-Sequencer-Signature"), body)) {
                        badSignatures.incrementAndGet();
                        exchange.sendResponseHeaders(401, -1);
                        return;
                    }
                    if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        exchange.sendResponseHeaders(500, -1);
                        return;
                    }
                    Json.read(body).forEach(events::add);
                    exchange.sendResponseHeaders(204, -1);
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/notices";
        }

        static boolean signatureHolds(String secret, String header, String body) {
            if (header == null) {
                return false;
            }
            Map<String, String> parts = Arrays.stream(header.split(","))
                    .map(p -> p.split("=", 2)).filter(p -> p.length == 2).collect(Collectors.toMap(p -> p[0], p -> p[1]));
            try {
                long t = Long.parseLong(parts.get("t"));
                if (Math.abs(Instant.now().getEpochSecond() - t) > 300) {
                    return false;
                }
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                byte[] expected = mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8));
                return MessageDigest.isEqual(expected, HexFormat.of().parseHex(parts.get("v1")));
            } catch (Exception malformed) {
                return false;
            }
        }

        List<JsonNode> of(String account, String subscriberId) {
            return events.stream().filter(e -> e.path("account").asText().equals(account)
                    && e.path("subscriberId").asText().equals(subscriberId)).toList();
        }
    }

    private static String account() {
        return "notify-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String threeSteps() {
        return """
                {"name":"Three","steps":[
                  {"id":"one","delay":{"amount":0,"unit":"seconds"},"message":{"text":"1"}},
                  {"id":"two","delay":{"amount":1,"unit":"seconds"},"message":{"text":"2"}},
                  {"id":"three","delay":{"amount":1,"unit":"seconds"},"message":{"text":"3"}}],
                 "channel":{"type":"webhook","url":"%s"}}""".formatted(steps.url());
    }

    private static String subscription(String account) {
        return "{\"url\":\"%s\",\"secretSetting\":\"%s\"}".formatted(receiver.url(), LocalHostFixture.hookSecretSetting(account));
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.path("type").asText() + (e.has("stepId") ? ":" + e.path("stepId").asText() : ""))
                .toList();
    }

    @Test
    void every_subscriber_gets_the_full_stream_in_order_signed_and_batched() {
        String account = account();
        var put = host.call("PUT", "/api/accounts/" + account + "/notifications", subscription(account));
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(Json.read(put.body()).path("events")).hasSize(6);
        host.call("PUT", "/api/accounts/" + account + "/sequences/three", threeSteps());
        List<String> subscribers = List.of("a", "b", "c", "d");
        subscribers.forEach(s -> host.call("PUT", "/api/accounts/" + account + "/sequences/three/subscribers/" + s, null));
        await(() -> subscribers.stream().allMatch(s -> receiver.of(account, s).size() >= 5), Duration.ofSeconds(60));
        for (String s : subscribers) {
            List<JsonNode> mine = receiver.of(account, s);
            assertThat(types(mine)).as(s).containsExactly("enrollment.started", "step.sent:one", "step.sent:two",
                    "step.sent:three", "enrollment.completed");
            assertThat(mine).extracting(e -> e.path("sequence").asLong()).as(s).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(mine).allSatisfy(e -> assertThat(e.path("eventId").asText()).startsWith("evt_"));
        }
        assertThat(receiver.badSignatures.get()).isZero();
        assertThat(receiver.requests.get()).as("batched: fewer requests than events").isLessThan(20);
        // The dispatcher records its first success right after the requests it made.
        await(() -> Json.read(host.call("GET", "/api/accounts/" + account + "/notifications", null).body())
                .path("status").asText().equals("delivering"), Duration.ofSeconds(15));
    }

    @Test
    void a_receiver_that_answers_500_for_a_while_gets_everything_once_it_recovers() {
        String account = account();
        receiver.failNext.set(2);
        host.call("PUT", "/api/accounts/" + account + "/notifications", subscription(account));
        host.call("PUT", "/api/accounts/" + account + "/sequences/three", threeSteps());
        host.call("PUT", "/api/accounts/" + account + "/sequences/three/subscribers/x", null);
        await(() -> Json.read(host.call("GET", "/api/accounts/" + account + "/notifications", null).body())
                .path("status").asText().equals("failing"), Duration.ofSeconds(30));
        JsonNode failing = Json.read(host.call("GET", "/api/accounts/" + account + "/notifications", null).body());
        assertThat(failing.path("lastError").asText()).contains("500");
        assertThat(failing.path("failingSince").asText()).isNotBlank();
        await(() -> receiver.of(account, "x").size() >= 5, Duration.ofSeconds(90));
        List<JsonNode> mine = receiver.of(account, "x");
        assertThat(types(mine)).containsExactly("enrollment.started", "step.sent:one", "step.sent:two", "step.sent:three",
                "enrollment.completed");
        await(() -> Json.read(host.call("GET", "/api/accounts/" + account + "/notifications", null).body())
                .path("status").asText().equals("delivering"), Duration.ofSeconds(15));
    }

    @Test
    void settings_are_validated_shown_and_turned_off() {
        String account = account();
        var bad = host.call("PUT", "/api/accounts/" + account + "/notifications",
                "{\"url\":\"ftp://x\",\"events\":[\"step.sent\",\"step.exploded\"]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Json.read(bad.body()).path("errors")).extracting(e -> e.path("field").asText())
                .contains("url", "events[1]");
        assertThat(host.call("GET", "/api/accounts/" + account + "/notifications", null).statusCode()).isEqualTo(404);
        var undefinedSecret = host.call("PUT", "/api/accounts/" + account + "/notifications",
                "{\"url\":\"" + receiver.url() + "\",\"secretSetting\":\"NOT_DEFINED_ANYWHERE\"}");
        assertThat(undefinedSecret.statusCode()).isEqualTo(400);
        assertThat(Json.read(undefinedSecret.body()).path("field").asText()).isEqualTo("secretSetting");
        var put = host.call("PUT", "/api/accounts/" + account + "/notifications",
                "{\"url\":\"" + receiver.url() + "\",\"events\":[\"enrollment.left\"]}");
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(host.call("PUT", "/api/accounts/" + account + "/notifications",
                "{\"url\":\"" + receiver.url() + "\",\"events\":[\"enrollment.left\"]}").statusCode()).isEqualTo(200);
        assertThat(host.call("DELETE", "/api/accounts/" + account + "/notifications", null).statusCode()).isEqualTo(200);
        assertThat(host.call("GET", "/api/accounts/" + account + "/notifications", null).statusCode()).isEqualTo(404);
    }
}
