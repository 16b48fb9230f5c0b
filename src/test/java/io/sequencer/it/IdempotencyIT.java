package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.adapters.json.SubscriberJson;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.LocalHostFixture;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Retried writes with an {@code Idempotency-Key}, through the local host and Azurite, to a real receiver. */
class IdempotencyIT {
    private static final Logger LOG = Logger.getLogger(IdempotencyIT.class.getName());
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
        return "idem-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Step one at once, step two an hour later: only step one can arrive during a test. */
    private static String sequence(String account, String reentry) {
        return """
                {"name":"Welcome","reentry":"%s","steps":[
                  {"id":"one","delay":{"amount":0,"unit":"seconds"},"message":{"text":"first"}},
                  {"id":"two","delay":{"amount":1,"unit":"hours"},"message":{"text":"second"}}],
                 "channel":{"type":"webhook","url":"%s","secretSetting":"%s"}}"""
                .formatted(reentry, sink.url(), LocalHostFixture.hookSecretSetting(account));
    }

    private static HttpResponse<String> call(String method, String path, String body, String key) {
        return host.call(method, path, body, Map.of("x-functions-key", LocalHostFixture.FUNCTION_KEY,
                "Idempotency-Key", key));
    }

    private static List<WebhookSink.Received> received(String account, String subscriber) {
        return sink.received().stream().filter(r -> r.payload().path("account").asText().equals(account)
                && r.subscriberId().equals(subscriber)).toList();
    }

    private static void assertKeyProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = Json.read(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("field").asText()).isEqualTo("Idempotency-Key");
    }

    @Test
    void a_retried_enroll_under_reentry_always_or_after_completion_is_one_enrollment_and_step_one_arrives_once() throws Exception {
        for (String reentry : List.of("after_completion", "always")) {
            String account = account();
            String path = "/api/accounts/" + account + "/sequences/welcome";
            // One step: the enrollment completes, so even after_completion would let a plain retry in again.
            String oneStep = sequence(account, reentry).replace(
                    ",\n  {\"id\":\"two\",\"delay\":{\"amount\":1,\"unit\":\"hours\"},\"message\":{\"text\":\"second\"}}", "");
            assertThat(oneStep).doesNotContain("\"two\"");
            assertThat(host.call("PUT", path, oneStep).statusCode()).isEqualTo(201);
            String key = "\"" + UUID.randomUUID() + "\"";

            HttpResponse<String> first = call("PUT", path + "/subscribers/ann", "{\"timezone\":\"Europe/Paris\"}", key);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
            assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
            await(() -> Json.read(host.call("GET", path + "/subscribers/ann", null).body())
                    .path("status").asText().equals("completed"), Duration.ofSeconds(30));

            HttpResponse<String> retried = call("PUT", path + "/subscribers/ann", "{\"timezone\":\"Europe/Paris\"}", key);

            Thread.sleep(3000); // a second step one would arrive by now
            JsonNode enrollment = Json.read(host.call("GET", path + "/subscribers/ann", null).body());
            assertThat(enrollment.path("epoch").asInt()).as(reentry).isEqualTo(1);
            List<WebhookSink.Received> got = received(account, "ann");
            assertThat(got).as(reentry).extracting(WebhookSink.Received::stepId).containsExactly("one");
            assertThat(enrollment.path("steps")).extracting(n -> n.path("deliveryId").asText())
                    .containsExactly(got.get(0).deliveryId());
            assertThat(retried.statusCode()).isEqualTo(201);
            assertThat(retried.headers().firstValue("Idempotent-Replayed")).contains("true");
            assertThat(retried.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(retried.body()).isEqualTo(first.body());
        }
    }

    @Test
    void the_same_key_with_another_body_or_path_is_a_409_naming_the_header_and_runs_nothing() {
        String account = account();
        String path = "/api/accounts/" + account + "/sequences/welcome";
        host.call("PUT", path, sequence(account, "always"));
        String key = UUID.randomUUID().toString();
        assertThat(call("PUT", path + "/subscribers/bea", null, key).statusCode()).isEqualTo(201);

        assertKeyProblem(call("PUT", path + "/subscribers/bea", "{\"attributes\":{\"plan\":\"pro\"}}", key), 409);
        assertKeyProblem(call("PUT", path + "/subscribers/cy", null, key), 409);
        assertThat(host.call("GET", path + "/subscribers/cy", null).statusCode()).isEqualTo(404);
        assertThat(Json.read(host.call("GET", path + "/subscribers/bea", null).body()).path("epoch").asInt()).isEqualTo(1);
    }

    @Test
    void a_key_belongs_to_its_account_so_another_account_may_use_the_same_one() {
        String key = UUID.randomUUID().toString();
        String firstAccount = account();
        String secondAccount = account();
        String first = "/api/accounts/" + firstAccount + "/sequences/welcome";
        String second = "/api/accounts/" + secondAccount + "/sequences/welcome";
        host.call("PUT", first, sequence(firstAccount, "always"));
        host.call("PUT", second, sequence(secondAccount, "always"));
        assertThat(call("PUT", first + "/subscribers/dan", null, key).statusCode()).isEqualTo(201);
        HttpResponse<String> other = call("PUT", second + "/subscribers/dan", null, key);
        assertThat(other.statusCode()).isEqualTo(201);
        assertThat(other.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(Json.read(host.call("GET", second + "/subscribers/dan", null).body()).path("epoch").asInt()).isEqualTo(1);
    }

    @Test
    void a_key_that_is_too_long_or_badly_quoted_is_a_400_naming_the_header() {
        String path = "/api/accounts/" + account() + "/subscribers";
        String body = "{\"subscriberId\":\"eve\"}";
        assertKeyProblem(call("POST", path, body, "k".repeat(256)), 400);
        assertKeyProblem(call("POST", path, body, "\"bad \\n escape\""), 400);
        assertKeyProblem(call("POST", path, body, "\"unclosed"), 400);
        assertThat(call("POST", path, body, "k".repeat(255)).statusCode()).isEqualTo(201);
    }

    @Test
    void every_write_named_in_the_api_replays_its_first_answer() {
        String account = account();
        String base = "/api/accounts/" + account;
        host.call("PUT", base + "/sequences/welcome", sequence(account, "always"));
        String broadcast = """
                {"sendAt":"%s","channel":{"type":"webhook","url":"%s","secretSetting":"%s"},
                 "message":{"text":"Sale"},"audience":{"subscribers":["fay"]}}"""
                .formatted(Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS),
                        sink.url(), LocalHostFixture.hookSecretSetting(account));
        List<String[]> writes = List.of(
                new String[] {"POST", base + "/subscribers", "{\"subscriberId\":\"fay\",\"attributes\":{\"plan\":\"pro\"}}"},
                new String[] {"PATCH", base + "/subscribers/fay", "{\"attributes\":{\"plan\":\"team\"}}"},
                new String[] {"POST", base + "/sequences/welcome/subscribers:batch",
                        "{\"subscribers\":[{\"subscriberId\":\"gus\"},{\"subscriberId\":\"hal\"}]}"},
                new String[] {"POST", base + "/events", "{\"subscriberId\":\"gus\",\"type\":\"converted\",\"name\":\"paid\"}"},
                new String[] {"PUT", base + "/broadcasts/sale", broadcast},
                new String[] {"POST", base + "/broadcasts/sale/events",
                        "{\"events\":[{\"subscriberId\":\"fay\",\"type\":\"clicked\"}]}"},
                new String[] {"DELETE", base + "/subscribers/hal", null});
        for (String[] write : writes) {
            String key = UUID.randomUUID().toString();
            HttpResponse<String> first = call(write[0], write[1], write[2], key);
            assertThat(first.statusCode()).as(write[1] + " " + first.body()).isLessThan(300);
            HttpResponse<String> again = call(write[0], write[1], write[2], key);
            assertThat(again.headers().firstValue("Idempotent-Replayed")).as(write[1]).contains("true");
            assertThat(again.statusCode()).isEqualTo(first.statusCode());
            assertThat(again.body()).isEqualTo(first.body());
        }
    }

    @Test
    void the_largest_batch_enroll_answer_is_kept_and_given_again_whole() {
        String account = account();
        String path = "/api/accounts/" + account + "/sequences/welcome";
        // Step one an hour away: the test is about the answer, not 1,000 deliveries.
        host.call("PUT", path, sequence(account, "always").replace("{\"amount\":0,\"unit\":\"seconds\"}",
                "{\"amount\":1,\"unit\":\"hours\"}"));
        StringBuilder batch = new StringBuilder("{\"subscribers\":[");
        for (int i = 0; i < SubscriberJson.MAX_BATCH; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"subscriberId\":\"batch-").append(i)
                    .append("\",\"attributes\":{\"plan\":\"pro\",\"seat\":").append(i).append("}}");
        }
        String body = batch.append("]}").toString();
        String key = UUID.randomUUID().toString();
        HttpResponse<String> first = call("POST", path + "/subscribers:batch", body, key);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(Json.read(first.body()).path("counts").path("enrolled").asInt()).isEqualTo(1000);
        HttpResponse<String> again = call("POST", path + "/subscribers:batch", body, key);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(again.body()).isEqualTo(first.body());
        LOG.info("a 1,000-entry batch enroll answer: " + first.body().length() + " characters");
    }
}
