package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.LocalHostFixture;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Personalised messages end to end on the local host and Azurite: a webhook step and a Messenger step (Graph faked
 * by MockWebServer) render the subscriber's attributes and the enroll's data; a template error is refused at PUT.
 */
class TemplatesIT {
    private static final String PAGE_TOKEN = "EAAG-it-template-token";
    private static final String ACCOUNT = "tpl-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String PAGE_TOKEN_SETTING = LocalHostFixture.setting(ACCOUNT, "PAGE_TOKEN");
    private static final String GREETING = "Hi {{ subscriber.attributes.first_name | default: 'friend' }}";
    private static final MockWebServer graph = new MockWebServer();
    private static LocalHostFixture host;
    private static WebhookSink sink;

    @BeforeAll
    static void start() throws Exception {
        graph.start();
        host = LocalHostFixture.start(Map.of(PAGE_TOKEN_SETTING, PAGE_TOKEN,
                "SEQUENCER_GRAPH_BASE_URL", graph.url("/").toString()), hostJson -> { });
        sink = new WebhookSink(LocalHostFixture.HOOK_SECRET);
    }

    @AfterAll
    static void stop() {
        sink.close();
        host.close();
        graph.close();
    }

    @Test
    void a_webhook_step_greets_each_subscriber_by_name_or_as_friend() {
        String path = "/api/accounts/" + ACCOUNT + "/sequences/hello";
        assertThat(host.call("PUT", path, """
                {"name":"Hello","channel":{"type":"webhook","url":"%s","secretSetting":"%s"},
                 "steps":[{"id":"hi","delay":{"amount":0,"unit":"seconds"},
                           "message":{"text":"%s","order":"{{ enrollment.data.orderId | default: 'none' }}"}}]}"""
                .formatted(sink.url(), LocalHostFixture.hookSecretSetting(ACCOUNT), GREETING)).statusCode())
                .isEqualTo(201);

        assertThat(host.call("PUT", path + "/subscribers/ann",
                "{\"attributes\":{\"first_name\":\"Ann\"},\"data\":{\"orderId\":\"A-17\"}}").statusCode()).isEqualTo(201);
        HttpResponse<String> batch = host.call("POST", path + "/subscribers:batch",
                "{\"subscribers\":[{\"subscriberId\":\"bob\",\"data\":{\"orderId\":\"B-2\"}}]}");
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);

        await(() -> received().size() >= 2, Duration.ofSeconds(60));
        Map<String, JsonNode> messages = received().stream().collect(Collectors.toMap(WebhookSink.Received::subscriberId,
                r -> r.payload().path("message"), (a, b) -> a));
        assertThat(messages.get("ann").path("text").asText()).isEqualTo("Hi Ann");
        assertThat(messages.get("ann").path("order").asText()).isEqualTo("A-17");
        assertThat(messages.get("bob").path("text").asText()).isEqualTo("Hi friend");
        assertThat(messages.get("bob").path("order").asText()).isEqualTo("B-2");
        assertThat(Json.read(host.call("GET", path + "/subscribers/ann", null).body()).path("data").path("orderId")
                .asText()).isEqualTo("A-17");
    }

    @Test
    void a_messenger_step_renders_into_the_send_api_call() throws Exception {
        String path = "/api/accounts/" + ACCOUNT + "/sequences/page";
        assertThat(host.call("PUT", path, """
                {"name":"Page","channel":{"type":"messenger","pageId":"1234567890","pageTokenSetting":"%s"},
                 "steps":[{"id":"hi","delay":{"amount":0,"unit":"seconds"},"message":{"text":"%s"}}]}"""
                .formatted(PAGE_TOKEN_SETTING, GREETING)).statusCode()).isEqualTo(201);
        graph.enqueue(new MockResponse.Builder().code(200).body("{\"recipient_id\":\"111\",\"message_id\":\"m_1\"}").build());
        graph.enqueue(new MockResponse.Builder().code(200).body("{\"recipient_id\":\"222\",\"message_id\":\"m_2\"}").build());

        host.call("PUT", path + "/subscribers/111", "{\"attributes\":{\"first_name\":\"Ann\"}}");
        host.call("PUT", path + "/subscribers/222", null);

        Map<String, String> texts = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            RecordedRequest request = graph.takeRequest(30, TimeUnit.SECONDS);
            assertThat(request).isNotNull();
            assertThat(request.getUrl().encodedPath()).isEqualTo("/v21.0/me/messages");
            JsonNode body = Json.read(request.getBody().utf8());
            texts.put(body.path("recipient").path("id").asText(), body.path("message").path("text").asText());
        }
        assertThat(texts).containsExactlyInAnyOrderEntriesOf(Map.of("111", "Hi Ann", "222", "Hi friend"));
    }

    @Test
    void a_template_error_is_a_400_naming_the_field_and_the_position() {
        HttpResponse<String> refused = host.call("PUT", "/api/accounts/" + ACCOUNT + "/sequences/broken", """
                {"name":"Broken","channel":{"type":"webhook","url":"%s","secretSetting":"%s"},
                 "steps":[{"id":"a","delay":{"amount":0,"unit":"seconds"},"message":{"text":"fine"}},
                          {"id":"b","delay":{"amount":1,"unit":"days"},"message":{"text":"fine"}},
                          {"id":"c","delay":{"amount":1,"unit":"days"},"message":{"text":"Hi {{ subscriber.id | }}"}}]}"""
                .formatted(sink.url(), LocalHostFixture.hookSecretSetting(ACCOUNT)));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = Json.read(refused.body());
        assertThat(problem.path("field").asText()).isEqualTo("steps[2].message.text");
        assertThat(problem.path("errors").get(0).path("reason").asText())
                .startsWith("is not a valid template: ").matches(".* at line 1, column \\d+$");
    }

    private static List<WebhookSink.Received> received() {
        return sink.received().stream().filter(r -> r.payload().path("account").asText().equals(ACCOUNT)).toList();
    }
}
