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
 * A Messenger step with fallback channels end to end on the local host and Azurite (Graph and SendGrid faked by
 * MockWebServer, the host's webhook by a sink): a subscriber Messenger reaches gets it there; one Messenger no longer
 * reaches gets it by e-mail, or by the host's webhook when they have no e-mail address; each stays enrolled, and the
 * report counts the sends by the channel they went on. A step due after the 24-hour window closed takes the same
 * path; the local host runs on the real clock, so that case is proven on a stepping clock (FallbackChannelsTest).
 */
class FallbackIT {
    private static final String PAGE_TOKEN = "EAAG-it-fallback-token";
    private static final String SENDGRID_KEY = "SG.it-fallback-key";
    private static final String ACCOUNT = "fb-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String PAGE_TOKEN_SETTING = LocalHostFixture.setting(ACCOUNT, "PAGE_TOKEN");
    private static final String SENDGRID_KEY_SETTING = LocalHostFixture.setting(ACCOUNT, "SENDGRID_KEY");
    private static final String PATH = "/api/accounts/" + ACCOUNT + "/sequences/nudge";
    private static final MockWebServer graph = new MockWebServer();
    private static final MockWebServer sendGrid = new MockWebServer();
    private static LocalHostFixture host;
    private static WebhookSink sink;

    @BeforeAll
    static void start() throws Exception {
        graph.start();
        sendGrid.start();
        host = LocalHostFixture.start(Map.of(PAGE_TOKEN_SETTING, PAGE_TOKEN, SENDGRID_KEY_SETTING, SENDGRID_KEY,
                "SEQUENCER_GRAPH_BASE_URL", graph.url("/").toString(),
                "SEQUENCER_SENDGRID_BASE_URL", sendGrid.url("/").toString()), hostJson -> { });
        sink = new WebhookSink(LocalHostFixture.HOOK_SECRET);
    }

    @AfterAll
    static void stop() {
        sink.close();
        host.close();
        graph.close();
        sendGrid.close();
    }

    private static final MockResponse GONE = new MockResponse.Builder().code(400).body(
            "{\"error\":{\"message\":\"This person isn't available right now.\",\"code\":551,\"error_subcode\":1545041}}")
            .build();

    @Test
    void messenger_falls_back_to_email_then_to_the_webhook_and_the_report_counts_each_channel() throws Exception {
        HttpResponse<String> defined = host.call("PUT", PATH, """
                {"name":"Nudge","channel":{"type":"messenger","pageId":"1234567890","pageTokenSetting":"%s"},
                 "steps":[{"id":"nudge","delay":{"amount":0,"unit":"seconds"},
                           "message":{"text":"Hi {{ subscriber.attributes.first_name | default: 'friend' }}"},
                           "fallback":[{"channel":{"type":"sendgrid","apiKeySetting":"%s","from":"news@example.com"},
                                        "message":{"subject":"A nudge","text":"Hi by mail"}},
                                       {"channel":{"type":"webhook","url":"%s","secretSetting":"%s"}}]}]}"""
                .formatted(PAGE_TOKEN_SETTING, SENDGRID_KEY_SETTING, sink.url(), LocalHostFixture.hookSecretSetting(ACCOUNT)));
        assertThat(defined.statusCode()).as(defined.body()).isEqualTo(201);
        JsonNode shown = Json.read(defined.body()).path("steps").get(0).path("fallback");
        assertThat(shown.get(0).path("channel").path("type").asText()).isEqualTo("sendgrid");
        assertThat(shown.get(1).has("message")).isFalse();
        assertThat(defined.body()).doesNotContain(PAGE_TOKEN, SENDGRID_KEY);

        // Messenger reaches 111.
        graph.enqueue(new MockResponse.Builder().code(200).body("{\"recipient_id\":\"111\",\"message_id\":\"m_1\"}").build());
        host.call("PUT", PATH + "/subscribers/111", "{\"attributes\":{\"first_name\":\"Ann\"}}");
        assertThat(recipientOf(graph.takeRequest(30, TimeUnit.SECONDS))).isEqualTo("111");
        awaitCompleted("111");

        // 222 blocked the page: the e-mail goes instead, with the fallback's own message.
        graph.enqueue(GONE);
        sendGrid.enqueue(new MockResponse.Builder().code(202).setHeader("X-Message-Id", "sg-1").build());
        host.call("PUT", PATH + "/subscribers/222", "{\"attributes\":{\"email\":\"bea@example.com\"}}");
        assertThat(recipientOf(graph.takeRequest(30, TimeUnit.SECONDS))).isEqualTo("222");
        RecordedRequest mail = sendGrid.takeRequest(30, TimeUnit.SECONDS);
        assertThat(mail).isNotNull();
        JsonNode email = Json.read(mail.getBody().utf8());
        assertThat(email.path("personalizations").get(0).path("to").get(0).path("email").asText())
                .isEqualTo("bea@example.com");
        assertThat(email.path("subject").asText()).isEqualTo("A nudge");
        awaitCompleted("222");

        // 333 blocked the page and has no address: the host's webhook gets the step's own message.
        graph.enqueue(GONE);
        host.call("PUT", PATH + "/subscribers/333", null);
        assertThat(recipientOf(graph.takeRequest(30, TimeUnit.SECONDS))).isEqualTo("333");
        await(() -> !received().isEmpty(), Duration.ofSeconds(30));
        WebhookSink.Received hook = received().get(0);
        assertThat(hook.subscriberId()).isEqualTo("333");
        assertThat(hook.payload().path("message").path("text").asText()).isEqualTo("Hi friend");
        awaitCompleted("333");
        assertThat(sendGrid.getRequestCount()).isEqualTo(1);

        JsonNode history = Json.read(host.call("GET", PATH + "/subscribers/222", null).body()).path("steps");
        assertThat(history).hasSize(1);
        assertThat(history.get(0).path("outcome").asText()).isEqualTo("sent");
        assertThat(history.get(0).path("channel").asText()).isEqualTo("sendgrid");

        JsonNode report = Json.read(host.call("GET", PATH + "/report", null).body());
        assertThat(report.path("sentByChannel")).isEqualTo(Json.read(
                "{\"messenger\":1,\"sendgrid\":1,\"webhook\":1}"));
        assertThat(report.path("steps").get(0).path("sent").asLong()).isEqualTo(3);
        assertThat(report.path("steps").get(0).path("sentByChannel").path("sendgrid").asLong()).isEqualTo(1);
        String csv = host.call("GET", PATH + "/report?format=csv", null).body();
        assertThat(csv).contains("step,nudge,,sentByChannel.webhook,1", "sentByChannel,,,messenger,1");
    }

    @Test
    void a_fallback_message_its_channel_cannot_send_is_refused_at_its_field() {
        HttpResponse<String> refused = host.call("PUT", "/api/accounts/" + ACCOUNT + "/sequences/bad", """
                {"name":"Bad","channel":{"type":"messenger","pageId":"1234567890","pageTokenSetting":"%s"},
                 "steps":[{"id":"a","delay":{"amount":0,"unit":"seconds"},"message":{"text":"Hi"},
                           "fallback":[{"channel":{"type":"sendgrid","apiKeySetting":"%s","from":"news@example.com"}}]}]}"""
                .formatted(PAGE_TOKEN_SETTING, SENDGRID_KEY_SETTING));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(Json.read(refused.body()).path("field").asText()).startsWith("steps[0].fallback[0].message");
    }

    private static String recipientOf(RecordedRequest request) {
        assertThat(request).as("a Send API call").isNotNull();
        return Json.read(request.getBody().utf8()).path("recipient").path("id").asText();
    }

    private static void awaitCompleted(String subscriberId) {
        await(() -> Json.read(host.call("GET", PATH + "/subscribers/" + subscriberId, null).body())
                .path("status").asText().equals("completed"), Duration.ofSeconds(30));
    }

    private static List<WebhookSink.Received> received() {
        return sink.received().stream().filter(r -> r.payload().path("account").asText().equals(ACCOUNT)).toList();
    }
}
