package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.testing.LocalHostFixture;
import java.time.Duration;
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
 * Messenger and e-mail steps end to end on the local host and Azurite, with Graph and SendGrid faked by
 * MockWebServer at the URLs the app settings name: the requests arrive as the platforms expect them, secrets
 * only where they belong, and a blocked recipient ends the enrollment.
 */
class ChannelsIT {
    private static final String PAGE_TOKEN = "EAAG-it-page-token";
    private static final String SENDGRID_KEY = "SG.it-api-key";
    private static final MockWebServer graph = new MockWebServer();
    private static final MockWebServer sendGrid = new MockWebServer();
    private static LocalHostFixture host;

    @BeforeAll
    static void start() throws Exception {
        graph.start();
        sendGrid.start();
        host = LocalHostFixture.start(Map.of(PAGE_TOKEN_SETTING, PAGE_TOKEN, SENDGRID_KEY_SETTING, SENDGRID_KEY,
                "SEQUENCER_GRAPH_BASE_URL", graph.url("/").toString(),
                "SEQUENCER_SENDGRID_BASE_URL", sendGrid.url("/").toString()), hostJson -> { });
    }

    @AfterAll
    static void stop() {
        host.close();
        graph.close();
        sendGrid.close();
    }

    /** The account whose settings the host holds: each account names only its own. */
    private static final String ACCOUNT = account();
    private static final String PAGE_TOKEN_SETTING = LocalHostFixture.setting(ACCOUNT, "PAGE_TOKEN");
    private static final String SENDGRID_KEY_SETTING = LocalHostFixture.setting(ACCOUNT, "SENDGRID_KEY");

    private static String account() {
        return "chan-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void a_messenger_step_reaches_the_send_api_and_a_blocked_recipient_leaves() throws Exception {
        String account = ACCOUNT;
        String path = "/api/accounts/" + account + "/sequences/m";
        var defined = host.call("PUT", path, """
                {"name":"M","channel":{"type":"messenger","pageId":"1234567890","pageTokenSetting":"%s"},
                 "steps":[{"id":"hello","delay":{"amount":0,"unit":"seconds"},"message":{"text":"Hi!"}},
                          {"id":"later","delay":{"amount":2,"unit":"seconds"},"message":{"text":"Still there?"}}]}"""
                .formatted(PAGE_TOKEN_SETTING));
        assertThat(defined.statusCode()).isEqualTo(201);
        assertThat(defined.body()).doesNotContain(PAGE_TOKEN);
        graph.enqueue(new MockResponse.Builder().code(200).body("{\"recipient_id\":\"111\",\"message_id\":\"m_1\"}").build());
        graph.enqueue(new MockResponse.Builder().code(400).body(
                "{\"error\":{\"message\":\"This person isn't available right now.\",\"code\":551,\"error_subcode\":1545041}}").build());
        host.call("PUT", path + "/subscribers/111", null);

        RecordedRequest first = graph.takeRequest(30, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(first.getUrl().encodedPath()).isEqualTo("/v21.0/me/messages");
        assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer " + PAGE_TOKEN);
        JsonNode body = Json.read(first.getBody().utf8());
        assertThat(body.path("recipient").path("id").asText()).isEqualTo("111");
        assertThat(body.path("message").path("text").asText()).isEqualTo("Hi!");
        assertThat(graph.takeRequest(30, TimeUnit.SECONDS)).isNotNull();

        await(() -> Json.read(host.call("GET", path + "/subscribers/111", null).body())
                .path("status").asText().equals("left"), Duration.ofSeconds(20));
        var state = host.call("GET", path + "/subscribers/111", null);
        assertThat(Json.read(state.body()).path("leaveReason").asText()).isEqualTo("blocked");
        assertThat(state.body()).contains("graph error 551").doesNotContain(PAGE_TOKEN);
    }

    @Test
    void an_email_step_reaches_sendgrid_for_a_subscriber_with_an_address() throws Exception {
        String account = ACCOUNT;
        String path = "/api/accounts/" + account + "/sequences/e";
        assertThat(host.call("PUT", path, """
                {"name":"E","channel":{"type":"sendgrid","apiKeySetting":"%s","from":"news@example.com"},
                 "steps":[{"id":"welcome","delay":{"amount":0,"unit":"seconds"},
                           "message":{"templateId":"d-abc","dynamicTemplateData":{"first_name":"Ann"}}}]}"""
                .formatted(SENDGRID_KEY_SETTING)).statusCode())
                .isEqualTo(201);
        sendGrid.enqueue(new MockResponse.Builder().code(202).setHeader("X-Message-Id", "sg-1").build());
        host.call("PUT", path + "/subscribers/ann", "{\"attributes\":{\"email\":\"ann@example.com\"}}");

        RecordedRequest request = sendGrid.takeRequest(30, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v3/mail/send");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + SENDGRID_KEY);
        JsonNode body = Json.read(request.getBody().utf8());
        assertThat(body.path("personalizations").get(0).path("to").get(0).path("email").asText()).isEqualTo("ann@example.com");
        assertThat(body.path("template_id").asText()).isEqualTo("d-abc");
        await(() -> Json.read(host.call("GET", path + "/subscribers/ann", null).body())
                .path("status").asText().equals("completed"), Duration.ofSeconds(20));
    }

    @Test
    void a_sequence_naming_a_missing_token_setting_is_refused() {
        String account = account();
        String missing = LocalHostFixture.setting(account, "NO_SUCH_TOKEN");
        var refused = host.call("PUT", "/api/accounts/" + account + "/sequences/x", """
                {"name":"X","channel":{"type":"messenger","pageId":"1","pageTokenSetting":"%s"},
                 "steps":[{"id":"a","delay":{"amount":0,"unit":"seconds"},"message":{"text":"x"}}]}""".formatted(missing));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(Json.read(refused.body()).path("field").asText()).isEqualTo("channel.pageTokenSetting");
        assertThat(Json.read(refused.body()).path("detail").asText()).contains("app setting " + missing + " is not defined");
    }
}
