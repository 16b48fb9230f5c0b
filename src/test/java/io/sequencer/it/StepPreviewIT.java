package io.sequencer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.LocalHostFixture;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A step's preview and test send from plain HTTP calls on the local host and Azurite: rendered for a stored and an
 * inline subscriber with nothing written or sent; sent to a tester's webhook and Messenger PSID (Graph faked by
 * MockWebServer) outside every enrollment; limited per account with a 429 that a keyed retry does not count.
 */
class StepPreviewIT {
    private static final String PAGE_TOKEN = "EAAG-it-preview-token";
    private static final String ACCOUNT = "prv-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String PAGE_TOKEN_SETTING = LocalHostFixture.setting(ACCOUNT, "PAGE_TOKEN");
    private static final String GREETING = "Hi {{ subscriber.attributes.first_name | default: 'friend' }}";
    private static final MockWebServer graph = new MockWebServer();
    private static LocalHostFixture host;
    private static WebhookSink sink;
    private static WebhookSink tester;

    @BeforeAll
    static void start() throws Exception {
        graph.start();
        host = LocalHostFixture.start(Map.of(PAGE_TOKEN_SETTING, PAGE_TOKEN,
                "SEQUENCER_GRAPH_BASE_URL", graph.url("/").toString()), hostJson -> { });
        sink = new WebhookSink(LocalHostFixture.HOOK_SECRET);
        tester = new WebhookSink(LocalHostFixture.HOOK_SECRET);
    }

    @AfterAll
    static void stop() {
        sink.close();
        tester.close();
        host.close();
        graph.close();
    }

    private static String defineHook(String account, String sequenceId) {
        String path = "/api/accounts/" + account + "/sequences/" + sequenceId;
        HttpResponse<String> put = host.call("PUT", path, """
                {"name":"Hello","channel":{"type":"webhook","url":"%s","secretSetting":"%s"},
                 "timezone":"America/New_York",
                 "steps":[{"id":"hi","delay":{"amount":2,"unit":"days"},
                           "message":{"text":"%s","order":"{{ enrollment.data.orderId | default: 'none' }}"}}]}"""
                .formatted(sink.url(), LocalHostFixture.hookSecretSetting(account), GREETING));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        return path;
    }

    @Test
    void a_templated_webhook_step_is_previewed_for_a_stored_and_an_inline_subscriber_writing_nothing() {
        String path = defineHook(ACCOUNT, "hello");
        assertThat(host.call("POST", "/api/accounts/" + ACCOUNT + "/subscribers",
                "{\"subscriberId\":\"ann\",\"timezone\":\"Asia/Tokyo\",\"attributes\":{\"first_name\":\"Ann\"}}")
                .statusCode()).isIn(200, 201);
        String profileBefore = host.call("GET", "/api/accounts/" + ACCOUNT + "/subscribers/ann", null).body();
        Instant before = Instant.now();

        HttpResponse<String> stored = host.call("POST", path + "/steps/hi:preview",
                "{\"subscriberId\":\"ann\",\"data\":{\"orderId\":\"A-17\"}}");

        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        JsonNode preview = Json.read(stored.body());
        assertThat(preview.path("channel").asText()).isEqualTo("webhook");
        assertThat(preview.path("message").path("text").asText()).isEqualTo("Hi Ann");
        assertThat(preview.path("message").path("order").asText()).isEqualTo("A-17");
        assertThat(preview.path("request").path("message").path("text").asText()).isEqualTo("Hi Ann");
        assertThat(preview.path("request").path("subscriberId").asText()).isEqualTo("ann");
        assertThat(preview.path("timezone").asText()).isEqualTo("Asia/Tokyo");
        assertThat(preview.path("dueAt")).hasSize(5);
        Instant first = Instant.parse(preview.path("dueAt").get(0).asText());
        assertThat(first).isBetween(before.plus(Duration.ofDays(2)), Instant.now().plus(Duration.ofDays(2)));
        assertThat(Instant.parse(preview.path("dueAt").get(4).asText())).isEqualTo(first.plus(Duration.ofDays(4)));

        HttpResponse<String> inline = host.call("POST", path + "/steps/hi:preview",
                "{\"subscriber\":{\"id\":\"walk-in\",\"attributes\":{}}}");
        assertThat(inline.statusCode()).as(inline.body()).isEqualTo(200);
        assertThat(Json.read(inline.body()).path("message").path("text").asText()).isEqualTo("Hi friend");
        assertThat(Json.read(inline.body()).path("message").path("order").asText()).isEqualTo("none");
        assertThat(Json.read(inline.body()).path("timezone").asText()).isEqualTo("America/New_York");

        // Nothing was written or sent: no enrollment, no new profile, the stored one as it was, no delivery.
        assertThat(host.call("GET", path + "/subscribers/ann", null).statusCode()).isEqualTo(404);
        assertThat(host.call("GET", "/api/accounts/" + ACCOUNT + "/subscribers/walk-in", null).statusCode()).isEqualTo(404);
        assertThat(host.call("GET", "/api/accounts/" + ACCOUNT + "/subscribers/ann", null).body()).isEqualTo(profileBefore);
        assertThat(sink.received()).isEmpty();
    }

    @Test
    void bad_requests_name_their_field_and_unknown_things_are_not_found() {
        String path = defineHook(ACCOUNT, "checks");
        assertProblem(host.call("POST", path + "/steps/hi:preview", "{\"subscriberId\":\"nobody\"}"), 404, null);
        assertProblem(host.call("POST", path + "/steps/nope:preview", "{\"subscriber\":{}}"), 404, null);
        assertProblem(host.call("POST", path + "/steps/hi:preview", "{}"), 400, "subscriberId");
        assertProblem(host.call("POST", path + "/steps/hi:preview",
                "{\"subscriber\":{\"timezone\":\"Mars/Olympus\"}}"), 400, "subscriber.timezone");
        assertProblem(host.call("POST", path + "/steps/hi:test", "{\"to\":\"not a url\"}"), 400, "to");
        assertProblem(host.call("POST", path + "/steps/hi:test", "{\"to\":\"http://169.254.169.254/latest\"}"), 400, "to");
    }

    @Test
    void a_test_send_reaches_the_testers_webhook_and_messenger_psid_and_no_report() throws Exception {
        String path = defineHook(ACCOUNT, "tested");
        int before = tester.received().size();
        HttpResponse<String> hook = host.call("POST", path + "/steps/hi:test", """
                {"to":"%s","subscriber":{"attributes":{"first_name":"Tess"}},"data":{"orderId":"T-1"}}"""
                .formatted(tester.url()));
        assertThat(hook.statusCode()).as(hook.body()).isEqualTo(200);
        JsonNode result = Json.read(hook.body());
        assertThat(result.path("status").asText()).isEqualTo("delivered");
        assertThat(result.path("deliveryId").asText()).startsWith("tst_");
        assertThat(tester.received()).hasSize(before + 1);
        WebhookSink.Received got = tester.received().get(before);
        assertThat(got.payload().path("message").path("text").asText()).isEqualTo("Hi Tess");
        assertThat(got.payload().path("test").asText()).isEqualTo("true");
        assertThat(got.signatureValid()).isTrue();
        assertThat(sink.received()).isEmpty();
        JsonNode report = Json.read(host.call("GET", path + "/report", null).body());
        assertThat(report.toString()).doesNotContain("\"sent\":1");

        String chat = "/api/accounts/" + ACCOUNT + "/sequences/chat";
        assertThat(host.call("PUT", chat, """
                {"name":"Chat","channel":{"type":"messenger","pageId":"1234567890","pageTokenSetting":"%s"},
                 "steps":[{"id":"hi","delay":{"amount":1,"unit":"days"},"message":{"text":"%s"}}]}"""
                .formatted(PAGE_TOKEN_SETTING, GREETING)).statusCode()).isEqualTo(201);
        graph.enqueue(new MockResponse.Builder().code(200).body("{\"recipient_id\":\"2468\",\"message_id\":\"m_t\"}").build());
        HttpResponse<String> psid = host.call("POST", chat + "/steps/hi:test",
                "{\"to\":\"2468\",\"subscriber\":{\"attributes\":{\"first_name\":\"Tess\"}}}");
        assertThat(psid.statusCode()).as(psid.body()).isEqualTo(200);
        assertThat(Json.read(psid.body()).path("status").asText()).isEqualTo("delivered");
        assertThat(Json.read(psid.body()).path("detail").asText()).isEqualTo("messenger m_t");
        RecordedRequest request = graph.takeRequest(10, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + PAGE_TOKEN);
        JsonNode body = Json.read(request.getBody().utf8());
        assertThat(body.path("recipient").path("id").asText()).isEqualTo("2468");
        assertThat(body.path("message").path("text").asText()).isEqualTo("Hi Tess");

        graph.enqueue(new MockResponse.Builder().code(400).body(
                "{\"error\":{\"message\":\"No matching user found\",\"code\":100,\"error_subcode\":2018001}}").build());
        JsonNode failed = Json.read(host.call("POST", chat + "/steps/hi:test", "{\"to\":\"1357\"}").body());
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("detail").asText()).contains("graph error 100/2018001");
    }

    @Test
    void test_sends_are_limited_per_account_and_a_keyed_retry_is_answered_again_without_counting() {
        String account = "prv-rate-" + UUID.randomUUID().toString().substring(0, 6);
        String path = defineHook(account, "hello") + "/steps/hi:test";
        String body = "{\"to\":\"" + tester.url() + "\"}";
        int before = tester.received().size();
        Map<String, String> key = Map.of("x-functions-key", LocalHostFixture.FUNCTION_KEY,
                "Idempotency-Key", "\"retry-" + UUID.randomUUID() + "\"");

        HttpResponse<String> first = host.call("POST", path, body, key);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        HttpResponse<String> again = host.call("POST", path, body, key);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(again.body()).isEqualTo(first.body());
        for (int i = 0; i < 4; i++) {
            assertThat(host.call("POST", path, body).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> limited = host.call("POST", path, body);
        assertProblem(limited, 429, null);
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(host.call("POST", path, body, key).body()).as("the keyed retry still gets its answer")
                .isEqualTo(first.body());
        assertThat(tester.received().size() - before).isEqualTo(5);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        if (field != null) {
            assertThat(Json.read(response.body()).path("field").asText()).as(response.body()).isEqualTo(field);
        }
    }
}
