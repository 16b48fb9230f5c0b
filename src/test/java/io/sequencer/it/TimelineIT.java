package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.LocalHostFixture;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A subscriber's timeline over HTTP on the local host, Azurite and a real webhook sink: two sequences send, the
 * host reports events (one twice), and the timeline is read in small pages, every entry once, newest first.
 */
class TimelineIT {
    private static LocalHostFixture host;
    private static WebhookSink sink;

    @BeforeAll
    static void start() throws Exception {
        host = LocalHostFixture.start();
        sink = new WebhookSink(LocalHostFixture.HOOK_SECRET);
    }

    @AfterAll
    static void stop() {
        sink.close();
        host.close();
    }

    private static String channel(String account) {
        return "\"channel\":{\"type\":\"webhook\",\"url\":\"%s\",\"secretSetting\":\"%s\"}"
                .formatted(sink.url(), LocalHostFixture.hookSecretSetting(account));
    }

    private static List<WebhookSink.Received> received(String account) {
        return sink.received().stream().filter(r -> r.payload().path("account").asText().equals(account)).toList();
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.read(response.body());
    }

    private static String describe(JsonNode entry) {
        return entry.path("type").asText() + " " + (entry.has("event") ? entry.path("event").path("type").asText()
                + " " + entry.path("event").path("eventId").asText() : entry.path("sequenceId").asText() + " "
                + entry.path("stepId").asText() + entry.path("reason").asText()).trim();
    }

    @Test
    void the_timeline_lists_every_enrollment_step_and_reported_event_once_newest_first_in_pages() {
        String account = "timeline-" + UUID.randomUUID().toString().substring(0, 8);
        String base = "/api/accounts/" + account;
        assertThat(host.call("PUT", base + "/sequences/welcome", """
                {"name":"Welcome","steps":[
                  {"id":"hello","delay":{"amount":0,"unit":"seconds"},"message":{"text":"hello"}},
                  {"id":"tips","delay":{"amount":2,"unit":"seconds"},"message":{"text":"tips"}}], %s}"""
                .formatted(channel(account))).statusCode()).isEqualTo(201);
        assertThat(host.call("PUT", base + "/sequences/offer", """
                {"name":"Offer","exitWhen":[{"event":"converted","name":"purchase"}],"steps":[
                  {"id":"pitch","delay":{"amount":0,"unit":"seconds"},"message":{"text":"half price"}},
                  {"id":"later","delay":{"amount":1,"unit":"hours"},"message":{"text":"last day"}}], %s}"""
                .formatted(channel(account))).statusCode()).isEqualTo(201);
        assertThat(host.call("PUT", base + "/sequences/welcome/subscribers/ann", null).statusCode()).isEqualTo(201);
        assertThat(host.call("PUT", base + "/sequences/offer/subscribers/ann", null).statusCode()).isEqualTo(201);
        await(() -> received(account).size() >= 3, Duration.ofSeconds(30));

        String pitch = received(account).stream().filter(r -> r.stepId().equals("pitch")).findFirst().orElseThrow().deliveryId();
        // The host dates its click, so that its resend in a later request is recognised as the same event.
        String click = "{\"subscriberId\":\"ann\",\"type\":\"clicked\",\"deliveryId\":\"%s\",\"eventId\":\"click-1\",\"at\":\"%s\"}"
                .formatted(pitch, Instant.now());
        // Five taps the host dates to one instant, before anything else here happened.
        String taps = IntStream.range(0, 5).mapToObj(i -> ("{\"subscriberId\":\"ann\",\"type\":\"interacted\","
                + "\"eventId\":\"tap-%d\",\"at\":\"2020-01-01T00:00:00Z\"}").formatted(i)).collect(Collectors.joining(","));
        JsonNode reported = json(host.call("POST", base + "/events", "[" + click + "," + taps + "," + click + "]"));
        assertThat(reported.path("counts").path("applied").asInt() + reported.path("counts").path("unchanged").asInt())
                .as(reported.toString()).isEqualTo(7);
        assertThat(json(host.call("POST", base + "/events", click)).path("counts").path("unchanged").asInt()).isEqualTo(1);
        JsonNode goal = json(host.call("POST", base + "/events",
                "{\"subscriberId\":\"ann\",\"type\":\"converted\",\"name\":\"purchase\",\"eventId\":\"order-1\"}"));
        assertThat(goal.path("counts").path("applied").asInt()).isEqualTo(1);
        await(() -> json(host.call("GET", base + "/sequences/welcome/subscribers/ann", null)).path("status").asText()
                .equals("completed"), Duration.ofSeconds(30));

        List<JsonNode> whole = new ArrayList<>();
        json(host.call("GET", base + "/subscribers/ann/timeline?limit=200", null)).path("entries").forEach(whole::add);
        List<JsonNode> paged = new ArrayList<>();
        String continuation = null;
        int pages = 0;
        do {
            HttpResponse<String> response = host.call("GET", base + "/subscribers/ann/timeline?limit=3"
                    + (continuation == null ? "" : "&continuation=" + continuation), null);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode page = json(response);
            assertThat(page.path("entries").size()).isLessThanOrEqualTo(3);
            page.path("entries").forEach(paged::add);
            continuation = page.path("continuation").isNull() ? null : page.path("continuation").asText();
            pages++;
        } while (continuation != null && pages < 20);
        assertThat(continuation).as("paging ends").isNull();

        assertThat(paged).isEqualTo(whole);
        Set<String> distinct = new HashSet<>();
        paged.forEach(e -> assertThat(distinct.add(e.toString())).as("listed once: " + e).isTrue());
        List<Instant> times = paged.stream().map(e -> Instant.parse(e.path("at").asText())).toList();
        assertThat(times).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(paged).extracting(TimelineIT::describe).containsExactlyInAnyOrder(
                "enrollment.started welcome", "step.sent welcome hello", "step.sent welcome tips", "enrollment.completed welcome",
                "enrollment.started offer", "step.sent offer pitch", "enrollment.left offer goal",
                "event clicked click-1", "event converted order-1",
                "event interacted tap-0", "event interacted tap-1", "event interacted tap-2", "event interacted tap-3",
                "event interacted tap-4");
        assertThat(paged.subList(paged.size() - 5, paged.size())).as("the taps, oldest")
                .allMatch(e -> e.path("at").asText().equals("2020-01-01T00:00:00Z"));
        JsonNode sentPitch = paged.stream().filter(e -> e.path("stepId").asText().equals("pitch")).findFirst().orElseThrow();
        assertThat(sentPitch.path("deliveryId").asText()).isEqualTo(pitch);
        assertThat(sentPitch.path("engagement")).extracting(JsonNode::asText).contains("clicked");
        JsonNode clicked = paged.stream().filter(e -> e.path("event").path("eventId").asText().equals("click-1")).findFirst().orElseThrow();
        assertThat(clicked.path("deliveryId").asText()).isEqualTo(pitch);
        assertThat(clicked.path("event").path("identity").asText()).isEqualTo("id:click-1");
    }

    @Test
    void a_bad_limit_or_token_is_a_problem_naming_it_and_an_unknown_subscriber_is_not_found() {
        String base = "/api/accounts/timeline-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(host.call("POST", base + "/subscribers", "{\"subscriberId\":\"ann\"}").statusCode()).isEqualTo(201);
        assertThat(json(host.call("GET", base + "/subscribers/ann/timeline", null)).path("entries")).isEmpty();
        for (String query : List.of("?limit=0", "?limit=201", "?limit=abc", "?limit=99999999999999", "?continuation=nope",
                "?continuation=MQoyMDI2", "?limit=5&continuation=%00")) {
            HttpResponse<String> response = host.call("GET", base + "/subscribers/ann/timeline" + query, null);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(json(response).path("field").asText()).as(query).isEqualTo(query.contains("limit=5") || !query.contains("limit")
                    ? "continuation" : "limit");
        }
        HttpResponse<String> unknown = host.call("GET", base + "/subscribers/nobody/timeline", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("detail").asText()).contains("nobody");
    }
}
