package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.sequence.Assignment;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.LocalHostFixture;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An A/B test and a holdout end to end on the local host and Azurite: each subscriber's variant reaches the webhook
 * as the sticky assignment chose it, the holdout is sent nothing, and the report shows variants, conversions and
 * the holdout's lift.
 */
class SplitsIT {
    private static final int SUBSCRIBERS = 80;
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

    private static List<WebhookSink.Received> received(String account) {
        return sink.received().stream().filter(r -> r.payload().path("account").asText().equals(account)).toList();
    }

    @Test
    void variants_reach_the_webhook_the_holdout_gets_nothing_and_the_report_shows_conversions_and_lift() {
        String account = "ab-" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/api/accounts/" + account + "/sequences/trial";
        HttpResponse<String> bad = host.call("PUT", path, """
                {"name":"Trial","holdout":60,"steps":[{"id":"offer","delay":{"amount":0,"unit":"seconds"},
                  "message":{"text":"x"},"variants":[{"id":"a","weight":0,"message":{"text":"A"}}]}],
                 "channel":{"type":"webhook","url":"%s","secretSetting":"%s"}}""".formatted(sink.url(),
                LocalHostFixture.hookSecretSetting(account)));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("holdout", "steps[0].variants");

        assertThat(host.call("PUT", path, """
                {"name":"Trial","holdout":50,"exitWhen":[{"event":"converted","name":"purchase"}],"steps":[
                  {"id":"offer","delay":{"amount":0,"unit":"seconds"},"message":{"text":"default"},
                   "variants":[{"id":"a","weight":50,"message":{"text":"Offer A"}},
                               {"id":"b","weight":50,"message":{"text":"Offer B"}}]},
                  {"id":"later","delay":{"amount":1,"unit":"days"},"message":{"text":"still there?"}}],
                 "channel":{"type":"webhook","url":"%s","secretSetting":"%s"}}""".formatted(sink.url(),
                LocalHostFixture.hookSecretSetting(account))).statusCode()).isEqualTo(201);
        JsonNode defined = Json.read(host.call("GET", path, null).body());
        assertThat(defined.path("holdout").asInt()).isEqualTo(50);
        assertThat(defined.path("steps").get(0).path("variants")).hasSize(2);

        List<String> subscribers = IntStream.range(0, SUBSCRIBERS).mapToObj(i -> "sub-" + i).toList();
        String batch = subscribers.stream().map(s -> "{\"subscriberId\":\"" + s + "\"}")
                .collect(Collectors.joining(",", "{\"subscribers\":[", "]}"));
        assertThat(host.call("POST", path + "/subscribers:batch", batch).statusCode()).isEqualTo(200);
        List<String> heldOut = subscribers.stream()
                .filter(s -> Assignment.heldOut(account, "trial", s, 50)).toList();
        List<String> treated = subscribers.stream().filter(s -> !heldOut.contains(s)).toList();

        await(() -> received(account).size() >= treated.size() && heldOut.stream().allMatch(s -> Json.read(
                host.call("GET", path + "/subscribers/" + s, null).body()).path("steps").size() == 1),
                Duration.ofSeconds(90));
        List<WebhookSink.Received> sent = received(account);
        assertThat(sent).extracting(r -> r.payload().path("subscriberId").asText())
                .containsExactlyInAnyOrderElementsOf(treated);
        assertThat(sent).allSatisfy(r -> {
            String subscriber = r.payload().path("subscriberId").asText();
            String variant = r.payload().path("variant").asText();
            assertThat(variant).isEqualTo(Assignment.pick(Assignment.step(account, "trial", subscriber, "offer"),
                    new int[] {50, 50}) == 0 ? "a" : "b");
            assertThat(r.payload().path("message").path("text").asText()).isEqualTo("Offer " + variant.toUpperCase());
        });
        JsonNode heldOne = Json.read(host.call("GET", path + "/subscribers/" + heldOut.get(0), null).body());
        assertThat(heldOne.path("heldOut").asBoolean()).isTrue();
        assertThat(heldOne.path("steps").get(0).path("detail").asText()).isEqualTo("held_out");

        // Every other subscriber buys, in both groups; a repeat of the same events changes nothing.
        String goals = IntStream.range(0, SUBSCRIBERS).filter(i -> i % 2 == 0)
                .mapToObj(i -> "{\"subscriberId\":\"sub-" + i + "\",\"type\":\"converted\",\"name\":\"purchase\","
                        + "\"eventId\":\"order-" + i + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
        assertThat(host.call("POST", "/api/accounts/" + account + "/events", goals).statusCode()).isEqualTo(200);
        assertThat(host.call("POST", "/api/accounts/" + account + "/events", goals).statusCode()).isEqualTo(200);

        JsonNode report = Json.read(host.call("GET", path + "/report", null).body());
        JsonNode offer = report.path("steps").get(0);
        long convertedTreated = treated.stream().filter(s -> Integer.parseInt(s.substring(4)) % 2 == 0).count();
        long convertedHeldOut = heldOut.stream().filter(s -> Integer.parseInt(s.substring(4)) % 2 == 0).count();
        assertThat(offer.path("converted").asLong()).isEqualTo(convertedTreated);
        assertThat(offer.path("variants")).extracting(v -> v.path("id").asText()).containsExactly("a", "b");
        long exposed = 0;
        long converted = 0;
        for (JsonNode variant : offer.path("variants")) {
            exposed += variant.path("exposed").asLong();
            converted += variant.path("converted").asLong();
        }
        assertThat(exposed).isEqualTo(treated.size());
        assertThat(converted).isEqualTo(convertedTreated);
        assertThat(offer.path("variants").get(1).path("versusFirst").path("status").asText()).isNotEmpty();
        JsonNode holdout = report.path("holdout");
        assertThat(holdout.path("percent").asInt()).isEqualTo(50);
        assertThat(holdout.path("heldOut").asLong()).isEqualTo(heldOut.size());
        assertThat(holdout.path("heldOutConverted").asLong()).isEqualTo(convertedHeldOut);
        assertThat(holdout.path("treatedConverted").asLong()).isEqualTo(convertedTreated);
        assertThat(holdout.path("lift").path("status").asText()).isIn("compared", "not_enough_data");

        String csv = host.call("GET", path + "/report?format=csv", null).body();
        assertThat(csv).contains("step,offer,,variants.a.exposed,", "holdout,,,lift.status,");
        String page = host.call("GET", path + "/report.html", null).body();
        assertThat(page).contains("Conversions", "Test at step <code>offer</code>", "Lift", "Held out");
    }
}
