package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.LocalHostFixture;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An account's frequency caps on the local host and Azurite: set over HTTP, kept by the tick function. */
class FrequencyCapsIT {
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

    private static String account() {
        return "caps-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String sequence(String account, boolean exempt) {
        return """
                {"name":"One step","steps":[
                  {"id":"hello","delay":{"amount":0,"unit":"seconds"},"message":{"text":"hi"},"exempt":%s}],
                 "channel":{"type":"webhook","url":"%s","secretSetting":"%s"}}""".formatted(exempt, sink.url(),
                LocalHostFixture.hookSecretSetting(account));
    }

    private static List<WebhookSink.Received> received(String account) {
        return sink.received().stream().filter(r -> r.payload().path("account").asText().equals(account)).toList();
    }

    private static JsonNode enrollment(String account, String sequence) {
        return Json.read(host.call("GET", "/api/accounts/" + account + "/sequences/" + sequence + "/subscribers/ann",
                null).body());
    }

    private static void defineAndEnroll(String account, List<String> sequences, boolean exempt) {
        for (String id : sequences) {
            String path = "/api/accounts/" + account + "/sequences/" + id;
            assertThat(host.call("PUT", path, sequence(account, exempt)).statusCode()).isEqualTo(201);
        }
    }

    private static void enroll(String account, List<String> sequences) {
        for (String id : sequences) {
            assertThat(host.call("PUT", "/api/accounts/" + account + "/sequences/" + id + "/subscribers/ann", null)
                    .statusCode()).isEqualTo(201);
        }
    }

    @Test
    void caps_are_set_shown_validated_and_removed() {
        String limits = "/api/accounts/" + account() + "/limits";
        assertThat(host.call("GET", limits, null).statusCode()).isEqualTo(404);
        HttpResponse<String> bad = host.call("PUT", limits,
                "{\"perSubscriber\":[{\"max\":0,\"per\":\"P1D\"},{\"max\":2,\"per\":\"one day\"}],\"over\":\"later\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        assertThat(bad.body()).contains("perSubscriber[0].max", "perSubscriber[1].per", "over");
        HttpResponse<String> set = host.call("PUT", limits,
                "{\"perSubscriber\":[{\"max\":3,\"per\":\"P1D\"},{\"max\":1,\"per\":\"PT12H\",\"channel\":\"messenger\"}]}");
        assertThat(set.statusCode()).isEqualTo(200);
        JsonNode shown = Json.read(host.call("GET", limits, null).body());
        assertThat(shown.path("over").asText()).isEqualTo("hold");
        assertThat(shown.path("perSubscriber").get(1).path("channel").asText()).isEqualTo("messenger");
        assertThat(shown.path("perSubscriber").get(0).path("per").asText()).isEqualTo("P1D");
        assertThat(host.call("DELETE", limits, null).statusCode()).isEqualTo(200);
        assertThat(host.call("DELETE", limits, null).statusCode()).isEqualTo(200);
        assertThat(host.call("GET", limits, null).statusCode()).isEqualTo(404);
    }

    @Test
    void with_two_a_day_and_skip_three_sequences_send_two_skip_the_third_in_its_report_and_an_exempt_step_goes() {
        String account = account();
        assertThat(host.call("PUT", "/api/accounts/" + account + "/limits",
                "{\"perSubscriber\":[{\"max\":2,\"per\":\"P1D\"}],\"over\":\"skip\"}").statusCode()).isEqualTo(200);
        List<String> capped = List.of("one", "two", "three");
        defineAndEnroll(account, capped, false);
        defineAndEnroll(account, List.of("receipt"), true);
        enroll(account, capped);
        enroll(account, List.of("receipt"));

        await(() -> capped.stream().allMatch(id -> enrollment(account, id).path("status").asText().equals("completed"))
                && enrollment(account, "receipt").path("status").asText().equals("completed"), Duration.ofSeconds(60));
        assertThat(received(account)).hasSize(3).anyMatch(r -> r.payload().path("sequenceId").asText().equals("receipt"));
        long skipped = capped.stream().map(id -> Json.read(host.call("GET", "/api/accounts/" + account + "/sequences/"
                + id + "/report", null).body()).path("steps").get(0).path("skipped").path("frequency_cap").asLong())
                .mapToLong(Long::longValue).sum();
        assertThat(skipped).isEqualTo(1);
    }

    @Test
    void with_two_a_day_and_hold_the_third_waits_as_the_current_step() {
        String account = account();
        assertThat(host.call("PUT", "/api/accounts/" + account + "/limits",
                "{\"perSubscriber\":[{\"max\":2,\"per\":\"P1D\"}],\"over\":\"hold\"}").statusCode()).isEqualTo(200);
        List<String> capped = List.of("one", "two", "three");
        defineAndEnroll(account, capped, false);
        enroll(account, capped);

        await(() -> received(account).size() == 2 && capped.stream().filter(id -> enrollment(account, id)
                .path("status").asText().equals("completed")).count() == 2, Duration.ofSeconds(60));
        JsonNode held = capped.stream().map(id -> enrollment(account, id))
                .filter(e -> e.path("status").asText().equals("active")).findFirst().orElseThrow();
        assertThat(held.path("stepsSent").asInt()).isZero();
        assertThat(received(account)).hasSize(2);
    }
}
