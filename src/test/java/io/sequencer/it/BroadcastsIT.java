package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.HeadlessChromium;
import io.sequencer.testing.LocalHostFixture;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Broadcasts end to end on the local host: schedule, fan-out, sends, events, reports, cancel, and bad requests. */
class BroadcastsIT {
    private static LocalHostFixture host;
    private static WebhookSink sink;
    private static final String ACCOUNT = "bcast-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String BASE = "/api/accounts/" + ACCOUNT + "/broadcasts/";

    @BeforeAll
    static void start() throws Exception {
        host = LocalHostFixture.start();
        sink = new WebhookSink(LocalHostFixture.HOOK_SECRET);
        for (int i = 0; i < 6; i++) {
            String tier = i < 4 ? "gold" : "silver";
            assertThat(host.call("POST", "/api/accounts/" + ACCOUNT + "/subscribers", """
                    {"subscriberId":"s%d","attributes":{"tier":"%s"}}""".formatted(i, tier)).statusCode()).isEqualTo(201);
        }
    }

    @AfterAll
    static void stop() {
        sink.close();
        host.close();
    }

    private static String body(Instant sendAt, String audience) {
        return """
                {"sendAt":"%s","channel":{"type":"webhook","url":"%s","secretSetting":"%s"},
                 "message":{"text":"Friday sale"},"audience":%s}"""
                .formatted(sendAt, sink.url(), LocalHostFixture.hookSecretSetting(ACCOUNT), audience);
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return Json.read(response.body());
    }

    private static List<WebhookSink.Received> receivedFor(String broadcastId) {
        return sink.received().stream().filter(r -> r.payload().path("account").asText().equals(ACCOUNT)
                && r.payload().path("broadcastId").asText().equals(broadcastId)).toList();
    }

    @Test
    void a_broadcast_reaches_its_audience_once_at_its_time_and_reports_what_happened() {
        Instant sendAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
        String request = body(sendAt, """
                {"subscribers":["s5",{"subscriberId":"new-1","timezone":"Asia/Tokyo"}],
                 "match":{"attribute":"tier","is":"gold"}}""");
        JsonNode created = json(host.call("PUT", BASE + "friday", request), 201);
        assertThat(created.path("status").asText()).isIn("scheduled", "sending");
        assertThat(created.path("audience").path("listed").asInt()).isEqualTo(2);
        assertThat(json(host.call("PUT", BASE + "friday", request), 200).path("broadcastId").asText()).isEqualTo("friday");

        await(() -> receivedFor("friday").size() >= 6, Duration.ofSeconds(40));
        await(() -> json(host.call("GET", BASE + "friday", null), 200).path("status").asText().equals("sent"),
                Duration.ofSeconds(20));
        List<WebhookSink.Received> received = receivedFor("friday");
        assertThat(received).extracting(WebhookSink.Received::subscriberId)
                .containsExactlyInAnyOrder("s0", "s1", "s2", "s3", "s5", "new-1");
        assertThat(received).allSatisfy(r -> {
            assertThat(r.signatureValid()).isTrue();
            assertThat(r.idempotencyKey()).isEqualTo(r.deliveryId());
            assertThat(r.receivedAt()).isAfterOrEqualTo(sendAt);
            assertThat(r.payload().has("sequenceId")).isFalse();
        });
        assertThat(received.stream().map(WebhookSink.Received::deliveryId).collect(Collectors.toSet())).hasSize(6);
        JsonNode profile = json(host.call("GET", "/api/accounts/" + ACCOUNT + "/subscribers/new-1", null), 200);
        assertThat(profile.path("timezone").asText()).isEqualTo("Asia/Tokyo");

        String events = """
                {"events":[{"subscriberId":"s0","type":"clicked"},{"subscriberId":"s0","type":"clicked"},
                           {"subscriberId":"s1","type":"read"},{"subscriberId":"stranger","type":"read"}]}""";
        JsonNode recorded = json(host.call("POST", BASE + "friday/events", events), 200);
        assertThat(recorded.path("recorded").asInt()).isEqualTo(3);
        assertThat(recorded.path("notInAudience").asInt()).isEqualTo(1);

        JsonNode report = json(host.call("GET", BASE + "friday/report", null), 200);
        assertThat(report.path("audience").asLong()).isEqualTo(6);
        assertThat(report.path("sent").asLong()).isEqualTo(6);
        assertThat(report.path("clicked").asLong()).isEqualTo(1);
        assertThat(report.path("read").asLong()).isEqualTo(2);
        assertThat(report.path("unsettled").asLong()).isZero();
        HttpResponse<String> csv = host.call("GET", BASE + "friday/report?format=csv", null);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body()).startsWith("section,step_id,day,metric,value\r\n")
                .contains("report,,,audience,6\r\n").contains("report,,,clicked,1\r\n");
        assertThat(json(host.call("DELETE", BASE + "friday", null), 409).path("detail").asText()).contains("sent");
    }

    @Test
    void the_report_page_renders_in_a_real_browser_without_errors() {
        json(host.call("PUT", BASE + "page", body(Instant.now().plusSeconds(1), "{\"subscribers\":[\"s1\"]}")), 201);
        await(() -> receivedFor("page").size() == 1, Duration.ofSeconds(30));
        HttpResponse<String> page = host.call("GET", BASE + "page/report.html", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                p -> assertThat(p).startsWith("default-src 'none'"));
        assertThat(page.body()).contains("Broadcast report").doesNotContain("<script");
        try (HeadlessChromium browser = HeadlessChromium.start(1280, 900)) {
            // A browser opens a report link, never a URL with a key in it.
            String link = Json.read(host.call("POST", BASE + "page/report:link", null).body()).path("url").asText();
            HeadlessChromium.Rendering rendering = browser.render(URI.create(link), Duration.ofSeconds(30), ".card");
            assertThat(rendering.errors()).isEmpty();
            assertThat(rendering.elements(".card")).hasSizeGreaterThanOrEqualTo(8);
        }
    }

    @Test
    void a_cancelled_broadcast_sends_nothing() throws Exception {
        json(host.call("PUT", BASE + "cancelled", body(Instant.now().plusSeconds(4), "{\"everyone\":true}")), 201);
        JsonNode cancelled = json(host.call("DELETE", BASE + "cancelled", null), 200);
        assertThat(cancelled.path("status").asText()).isEqualTo("cancelled");
        assertThat(json(host.call("DELETE", BASE + "cancelled", null), 200).path("status").asText()).isEqualTo("cancelled");
        Thread.sleep(7_000);
        assertThat(receivedFor("cancelled")).isEmpty();
        assertThat(json(host.call("GET", BASE + "cancelled", null), 200).path("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void a_cancel_while_a_send_is_under_way_answers_202_at_once_and_nobody_receives_it_once_it_reads_cancelled()
            throws Exception {
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (WebhookSink held = new WebhookSink(LocalHostFixture.HOOK_SECRET)) {
            // The receiver holds its first request unanswered until the cancel has been made and read.
            held.onReceive(r -> {
                inFlight.countDown();
                try {
                    release.await(8, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            json(host.call("PUT", BASE + "held", body(Instant.now(), "{\"everyone\":true}").replace(sink.url(),
                    held.url())), 201);
            assertThat(inFlight.await(30, TimeUnit.SECONDS)).as("a send reached the receiver").isTrue();

            HttpResponse<String> cancel = host.call("DELETE", BASE + "held", null);
            assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
            assertThat(Json.read(cancel.body()).path("status").asText()).isEqualTo("cancelling");
            assertThat(json(host.call("GET", BASE + "held", null), 200).path("status").asText()).isEqualTo("cancelling");
            release.countDown();

            await(() -> json(host.call("GET", BASE + "held", null), 200).path("status").asText().equals("cancelled"),
                    Duration.ofSeconds(30));
            Instant saidCancelled = Instant.now();
            List<WebhookSink.Received> before = held.received();
            Thread.sleep(2_000); // anything the sender still had would arrive now
            assertThat(held.received()).isEqualTo(before)
                    .allSatisfy(r -> assertThat(r.receivedAt()).isBefore(saidCancelled));
            assertThat(json(host.call("DELETE", BASE + "held", null), 200).path("status").asText()).isEqualTo("cancelled");
        }
    }

    @Test
    void bad_requests_get_problems_that_name_the_field() {
        Instant later = Instant.now().plus(Duration.ofDays(1));
        assertProblem(host.call("PUT", BASE + "x", body(Instant.now().minus(Duration.ofDays(1)), "{\"everyone\":true}")),
                400, "sendAt");
        assertProblem(host.call("PUT", BASE + "x", body(later, "{}")), 400, "audience");
        assertProblem(host.call("PUT", BASE + "x", body(later, "{\"subscribers\":[\"a\",\"a\"]}")), 400,
                "audience.subscribers[1].subscriberId");
        assertProblem(host.call("PUT", BASE + "x", body(later, "{\"subscribers\":[\"bad id\"]}")), 400,
                "audience.subscribers[0].subscriberId");
        assertProblem(host.call("PUT", BASE + "x", body(later,
                "{\"match\":{\"step\":\"previous\",\"is\":\"clicked\"}}")), 400, "audience.match");
        assertProblem(host.call("PUT", BASE + "x", """
                {"sendAtLocal":"2026-12-04T10:00","fallbackTimezone":"Mars/Base","channel":{"type":"webhook","url":"%s"},
                 "message":{"text":"x"},"audience":{"everyone":true}}""".formatted(sink.url())), 400, "fallbackTimezone");
        assertProblem(host.call("PUT", BASE + "x", body(later, "{\"everyone\":true}").replace("\"audience\"",
                "\"tag\":\"ACCOUNT_UPDATE\",\"audience\"")), 400, "tag");
        assertProblem(host.call("PUT", BASE + "x", body(later, "{\"everyone\":true}").replace("\"sendAt\"",
                "\"sendAtLocal\":\"2026-12-04T10:00\",\"sendAt\"")), 400, "sendAtLocal");
        String many = IntStream.range(0, 5_001).mapToObj(i -> "\"s" + i + "\"").collect(Collectors.joining(",", "[", "]"));
        assertProblem(host.call("PUT", BASE + "x", body(later, "{\"subscribers\":" + many + "}")), 400,
                "audience.subscribers");
        String huge = "x".repeat(300_000);
        assertProblem(host.call("PUT", BASE + "x", body(later, "{\"everyone\":true}").replace("Friday sale", huge)), 413,
                null);
        assertProblem(host.call("GET", BASE + "nope", null), 404, null);
        assertProblem(host.call("DELETE", BASE + "nope", null), 404, null);
        assertProblem(host.call("GET", BASE + "nope/report?format=xml", null), 400, "format");
        json(host.call("PUT", BASE + "taken", body(later, "{\"everyone\":true}")), 201);
        assertProblem(host.call("PUT", BASE + "taken", body(later.plusSeconds(60), "{\"everyone\":true}")), 409, null);
        assertProblem(host.call("POST", BASE + "taken/events", "{\"events\":[{\"subscriberId\":\"s1\",\"type\":\"opened\"}]}"),
                400, "events[0].type");
        assertThat(host.call("GET", BASE + "taken", null, Map.of("x-functions-key", "wrong")).statusCode()).isEqualTo(401);
        assertThat(Set.of(json(host.call("DELETE", BASE + "taken", null), 200).path("status").asText()))
                .containsExactly("cancelled");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        if (field != null) {
            assertThat(Json.read(response.body()).path("field").asText()).as(response.body()).isEqualTo(field);
        }
    }
}
