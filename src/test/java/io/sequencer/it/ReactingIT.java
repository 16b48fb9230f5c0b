package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.LocalHostFixture;
import io.sequencer.testing.TickLines;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sequences that react, end to end on the local host, Azurite and a real HTTP sink: events reported over HTTP
 * steer conditions and goals for the subscriber they name, and the subscriber API behaves as documented.
 */
class ReactingIT {
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
        return "react-" + UUID.randomUUID().toString().substring(0, 8);
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

    @Test
    void step_two_goes_only_to_the_subscribers_who_did_not_click_step_one() {
        String account = account();
        String path = "/api/accounts/" + account + "/sequences/nudge";
        assertThat(host.call("PUT", path, """
                {"name":"Nudge","steps":[
                  {"id":"offer","delay":{"amount":0,"unit":"seconds"},"message":{"text":"half price"}},
                  {"id":"reminder","delay":{"amount":8,"unit":"seconds"},"message":{"text":"last chance"},
                   "condition":{"step":"previous","is_not":"clicked"}}],
                 %s}""".formatted(channel(account))).statusCode()).isEqualTo(201);
        List<String> subscribers = IntStream.range(0, 10).mapToObj(i -> "s" + i).toList();
        String batch = subscribers.stream().map(s -> "{\"subscriberId\":\"" + s + "\"}")
                .collect(Collectors.joining(",", "{\"subscribers\":[", "]}"));
        var enrolled = host.call("POST", path + "/subscribers:batch", batch);
        assertThat(enrolled.statusCode()).isEqualTo(200);
        assertThat(json(enrolled).path("counts").path("enrolled").asInt()).isEqualTo(10);

        await(() -> received(account).size() >= 10, Duration.ofSeconds(30));
        Set<String> clickers = Set.of("s0", "s2", "s4", "s6", "s8");
        String clicks = received(account).stream().filter(r -> clickers.contains(r.subscriberId()))
                .map(r -> "{\"subscriberId\":\"%s\",\"type\":\"clicked\",\"deliveryId\":\"%s\",\"eventId\":\"c-%s\"}"
                        .formatted(r.subscriberId(), r.deliveryId(), r.subscriberId()))
                .collect(Collectors.joining(",", "[", "]"));
        var reported = host.call("POST", "/api/accounts/" + account + "/events", clicks);
        assertThat(reported.statusCode()).isEqualTo(200);
        assertThat(json(reported).path("counts").path("applied").asInt()).isEqualTo(5);
        var again = host.call("POST", "/api/accounts/" + account + "/events", clicks);
        assertThat(json(again).path("counts").path("unchanged").asInt()).as("duplicates change nothing").isEqualTo(5);

        await(() -> received(account).size() >= 15, Duration.ofSeconds(40));
        await(() -> subscribers.stream().allMatch(s -> json(host.call("GET", path + "/subscribers/" + s, null))
                .path("status").asText().equals("completed")), Duration.ofSeconds(20));
        for (String s : subscribers) {
            List<String> steps = received(account).stream().filter(r -> r.subscriberId().equals(s))
                    .map(WebhookSink.Received::stepId).toList();
            assertThat(steps).as(s).isEqualTo(clickers.contains(s) ? List.of("offer") : List.of("offer", "reminder"));
        }
        JsonNode clicked = json(host.call("GET", path + "/subscribers/s0", null)).path("steps");
        assertThat(clicked.get(0).path("engagement")).extracting(JsonNode::asText).contains("clicked", "read", "delivered");
        assertThat(clicked.get(1).path("outcome").asText()).isEqualTo("skipped");
        assertThat(clicked.get(1).path("detail").asText()).isEqualTo("condition not met");
    }

    @Test
    void a_goal_event_stops_a_subscriber_in_the_middle_of_a_delay() {
        String account = account();
        String path = "/api/accounts/" + account + "/sequences/trial";
        assertThat(host.call("PUT", path, """
                {"name":"Trial","exitWhen":[{"event":"converted","name":"purchase"}],"steps":[
                  {"id":"one","delay":{"amount":0,"unit":"seconds"},"message":{"text":"welcome"}},
                  {"id":"two","delay":{"amount":6,"unit":"seconds"},"message":{"text":"buy now"}}],
                 %s}""".formatted(channel(account))).statusCode()).isEqualTo(201);
        host.call("PUT", path + "/subscribers/buyer", null);
        host.call("PUT", path + "/subscribers/browser", null);
        await(() -> received(account).size() >= 2, Duration.ofSeconds(30));
        var goal = host.call("POST", "/api/accounts/" + account + "/events",
                "{\"subscriberId\":\"buyer\",\"type\":\"converted\",\"name\":\"purchase\"}");
        assertThat(json(goal).path("results").get(0).path("status").asText()).isEqualTo("applied");
        JsonNode buyer = json(host.call("GET", path + "/subscribers/buyer", null));
        assertThat(buyer.path("status").asText()).isEqualTo("left");
        assertThat(buyer.path("leaveReason").asText()).isEqualTo("goal");
        await(() -> received(account).size() >= 3, Duration.ofSeconds(30));
        // The buyer's step two still falls due; once its tick has run (and dropped it) nothing of theirs is left.
        ticks.await(Duration.ofSeconds(30), "outcome=dropped", "account=" + account, "subscriber=buyer");
        assertThat(received(account)).extracting(r -> r.subscriberId() + "/" + r.stepId())
                .containsExactlyInAnyOrder("buyer/one", "browser/one", "browser/two");
    }

    @Test
    void subscribers_can_be_added_profiled_welcomed_and_opted_out_of_everything() {
        String account = account();
        String base = "/api/accounts/" + account;
        assertThat(host.call("PUT", base + "/sequences/hello", """
                {"name":"Hello","enrollOn":"subscribed","steps":[
                  {"id":"hi","delay":{"amount":1,"unit":"hours"},"message":{"text":"hi"}}], %s}""".formatted(channel(account)))
                .statusCode()).isEqualTo(201);
        var added = host.call("POST", base + "/subscribers",
                "{\"subscriberId\":\"ann\",\"timezone\":\"Europe/Paris\",\"attributes\":{\"first_name\":\"Ann\",\"tags\":[\"new\"]}}");
        assertThat(added.statusCode()).isEqualTo(201);
        assertThat(json(added).path("welcomedInto")).extracting(JsonNode::asText).containsExactly("hello");
        assertThat(host.call("POST", base + "/subscribers", "{\"subscriberId\":\"ann\"}").statusCode()).isEqualTo(200);

        var patched = host.call("PATCH", base + "/subscribers/ann", "{\"attributes\":{\"tags\":null,\"vip\":true}}");
        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(json(patched).path("attributes").path("first_name").asText()).isEqualTo("Ann");
        assertThat(json(patched).path("attributes").has("tags")).isFalse();
        assertThat(json(patched).path("attributes").path("vip").asBoolean()).isTrue();
        assertThat(host.call("PATCH", base + "/subscribers/nobody", "{\"attributes\":{}}").statusCode()).isEqualTo(404);

        var optedOut = host.call("DELETE", base + "/subscribers/ann", null);
        assertThat(optedOut.statusCode()).isEqualTo(200);
        assertThat(json(optedOut).path("optedOut").asBoolean()).isTrue();
        JsonNode enrollment = json(host.call("GET", base + "/sequences/hello/subscribers/ann", null));
        assertThat(enrollment.path("leaveReason").asText()).isEqualTo("opted_out");
        var refused = host.call("PUT", base + "/sequences/hello/subscribers/ann", null);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(json(refused).path("detail").asText()).contains("opted out");
    }

    @Test
    void an_opt_out_outlasts_repeated_and_late_subscribes_and_only_a_newer_resubscription_lifts_it() {
        String account = account();
        String base = "/api/accounts/" + account;
        assertThat(host.call("PUT", base + "/sequences/hello", """
                {"name":"Hello","enrollOn":"subscribed","steps":[
                  {"id":"hi","delay":{"amount":1,"unit":"hours"},"message":{"text":"hi"}}], %s}""".formatted(channel(account)))
                .statusCode()).isEqualTo(201);
        assertThat(host.call("POST", base + "/subscribers", "{\"subscriberId\":\"ann\"}").statusCode()).isEqualTo(201);
        Instant beforeOptOut = Instant.now().minusSeconds(1);
        var optedOut = host.call("DELETE", base + "/subscribers/ann", null);
        assertThat(optedOut.statusCode()).isEqualTo(200);
        Instant optedOutAt = Instant.parse(json(optedOut).path("optedOutAt").asText());

        var repeated = host.call("POST", base + "/subscribers", "{\"subscriberId\":\"ann\"}");
        assertThat(repeated.statusCode()).isEqualTo(200);
        assertThat(json(repeated).path("optedOut").asBoolean()).as("a repeated add keeps the opt-out").isTrue();
        var subscribed = host.call("POST", base + "/events", "{\"subscriberId\":\"ann\",\"type\":\"subscribed\"}");
        assertThat(json(subscribed).path("results").get(0).path("status").asText()).isEqualTo("unchanged");

        var late = host.call("POST", base + "/subscribers",
                "{\"subscriberId\":\"ann\",\"resubscribedAt\":\"" + beforeOptOut + "\"}");
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(late.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(json(late).path("field").asText()).isEqualTo("resubscribedAt");
        var lateEvent = host.call("POST", base + "/events",
                "{\"subscriberId\":\"ann\",\"type\":\"resubscribed\",\"at\":\"" + beforeOptOut + "\"}");
        assertThat(json(lateEvent).path("results").get(0).path("status").asText()).isEqualTo("unchanged");
        var noTime = host.call("POST", base + "/events", "{\"subscriberId\":\"ann\",\"type\":\"resubscribed\"}");
        assertThat(json(noTime).path("results").get(0).path("problem").path("field").asText()).isEqualTo("at");
        JsonNode profile = json(host.call("GET", base + "/subscribers/ann", null));
        assertThat(profile.path("optedOut").asBoolean()).isTrue();
        assertThat(Instant.parse(profile.path("optedOutAt").asText())).isEqualTo(optedOutAt);
        assertThat(host.call("PUT", base + "/sequences/hello/subscribers/ann", null).statusCode()).isEqualTo(409);

        var back = host.call("POST", base + "/subscribers",
                "{\"subscriberId\":\"ann\",\"resubscribedAt\":\"" + Instant.now() + "\"}");
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(json(back).path("optedOut").asBoolean()).isFalse();
        assertThat(json(back).has("optedOutAt")).isFalse();
        assertThat(host.call("PUT", base + "/sequences/hello/subscribers/ann", null).statusCode())
                .as("an enrollment ended by the opt-out does not count against re-entry never").isEqualTo(201);
    }

    @Test
    void bad_entries_in_a_batch_or_an_event_list_are_rejected_alone_with_a_problem_naming_the_field() {
        String account = account();
        String path = "/api/accounts/" + account + "/sequences/once";
        host.call("PUT", path, """
                {"name":"Once","steps":[{"id":"a","delay":{"amount":1,"unit":"days"},"message":{"text":"x"}}], %s}"""
                .formatted(channel(account)));
        var batch = host.call("POST", path + "/subscribers:batch", """
                {"subscribers":[{"subscriberId":"ok"},{"subscriberId":"bad/id"},{"subscriberId":"tz","timezone":"Mars/Base"},
                 {"subscriberId":"ok"}]}""");
        assertThat(batch.statusCode()).isEqualTo(200);
        JsonNode results = json(batch).path("results");
        assertThat(results).extracting(r -> r.path("status").asText()).containsExactlyInAnyOrder(
                "enrolled", "rejected", "rejected", "unchanged");
        assertThat(List.of(results.get(0).path("status").asText(), results.get(3).path("status").asText()))
                .as("the same subscriber twice in one batch is enrolled once").containsExactlyInAnyOrder("enrolled", "unchanged");
        assertThat(results.get(1).path("problem").path("field").asText()).isEqualTo("subscribers[1].subscriberId");
        assertThat(results.get(2).path("problem").path("field").asText()).isEqualTo("subscribers[2].timezone");

        host.call("DELETE", path + "/subscribers/ok", null);
        var reentry = host.call("PUT", path + "/subscribers/ok", null);
        assertThat(reentry.statusCode()).isEqualTo(409);
        assertThat(json(reentry).path("detail").asText()).contains("re-entry policy is never");

        var events = host.call("POST", "/api/accounts/" + account + "/events", """
                [{"subscriberId":"ok","type":"clicked","sequenceId":"once","stepId":"a"},
                 {"subscriberId":"ok","type":"teleported"},
                 {"subscriberId":"ok","type":"read","watermark":"yesterday"}]""");
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(json(events).path("results")).extracting(r -> r.path("status").asText())
                .containsExactly("unchanged", "rejected", "rejected");
        assertThat(json(events).path("results").get(1).path("problem").path("field").asText()).isEqualTo("[1].type");
        assertThat(json(events).path("results").get(2).path("problem").path("field").asText()).isEqualTo("[2].watermark");

        var badCondition = host.call("PUT", path.replace("once", "bad"), """
                {"name":"Bad","steps":[{"id":"a","delay":{"amount":1,"unit":"days"},"message":{"text":"x"},
                 "condition":{"attribute":"tags","contains":5}}], %s}""".formatted(channel(account)));
        assertThat(badCondition.statusCode()).isEqualTo(400);
        assertThat(json(badCondition).path("field").asText()).startsWith("steps[0].condition");
        assertThat(host.call("GET", path.replace("once", "bad"), null).statusCode()).isEqualTo(404);
    }
}
