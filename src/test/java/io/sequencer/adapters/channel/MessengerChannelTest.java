package io.sequencer.adapters.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.channel.messenger.MessengerChannel;
import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;
import io.sequencer.testing.SteppingClock;
import io.sequencer.testing.TestAppSettings;
import io.sequencer.testing.TestGuards;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Messenger Send API as Graph speaks it, faked by MockWebServer: the request sent, and every answer's class. */
class MessengerChannelTest {
    private static final String TOKEN = "EAAGpage-token-value-123";
    private static final MessengerConfig PAGE = new MessengerConfig("1234567890", "SEQ_ACME__PAGE_TOKEN", "21.0");
    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final MockWebServer server = new MockWebServer();
    private MessengerChannel channel;

    @BeforeEach
    void start() throws Exception {
        server.start();
        channel = new MessengerChannel(HttpClients.shared(TestGuards.loopbackAllowed()), TestAppSettings.of("SEQ_ACME__PAGE_TOKEN", TOKEN)::get,
                server.url("/").toString(), clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Delivery delivery(Optional<String> tag) {
        return new Delivery(new DeliveryId("dlv_00112233445566778899aabbccddeeff"), new EnrollmentKey("acme", "welcome", "6543210"),
                "tips", "{\"text\":\"Hi there\",\"quick_replies\":[{\"content_type\":\"text\",\"title\":\"Yes\",\"payload\":\"Y\"}]}",
                Instant.parse("2026-03-01T08:59:58Z"), 1, tag, Optional.empty());
    }

    private static MockResponse graphError(int status, int code, Integer subcode, String message) {
        String sub = subcode == null ? "" : ",\"error_subcode\":" + subcode;
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"" + message + "\",\"type\":\"OAuthException\",\"code\":" + code + sub
                        + ",\"fbtrace_id\":\"Abc\"}}").build();
    }

    @Test
    void posts_the_send_api_request_as_the_page_with_the_token_in_the_header_only() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200)
                .body("{\"recipient_id\":\"6543210\",\"message_id\":\"m_abc\"}").build());
        SendResult result = channel.send(PAGE, delivery(Optional.empty()));
        assertThat(result).isEqualTo(new SendResult.Sent("messenger m_abc"));

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v21.0/me/messages");
        assertThat(request.getUrl().query()).isNull();
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        JsonNode body = Json.read(request.getBody().utf8());
        assertThat(body.path("recipient").path("id").asText()).isEqualTo("6543210");
        assertThat(body.path("messaging_type").asText()).isEqualTo("UPDATE");
        assertThat(body.has("tag")).isFalse();
        assertThat(body.path("message")).isEqualTo(Json.read(delivery(Optional.empty()).message()));
    }

    @Test
    void a_tagged_step_is_sent_as_a_message_tag() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body("{\"message_id\":\"m_1\"}").build());
        channel.send(PAGE, delivery(Optional.of("POST_PURCHASE_UPDATE")));
        JsonNode body = Json.read(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        assertThat(body.path("messaging_type").asText()).isEqualTo("MESSAGE_TAG");
        assertThat(body.path("tag").asText()).isEqualTo("POST_PURCHASE_UPDATE");
    }

    @ParameterizedTest(name = "HTTP {0}, graph {1}/{2} -> {3}")
    @CsvSource(textBlock = """
            400, 4,   ,        transient
            400, 17,  ,        transient
            400, 32,  ,        transient
            400, 613, ,        transient
            500, 2,   ,        transient
            503, -1,  ,        transient
            400, 10,  2018278, window
            400, 551, ,        gone
            400, 100, 2018001, gone
            401, 190, ,        permanent
            400, 100, 2018109, permanent
            403, 200, ,        permanent
            """)
    void every_graph_error_has_its_class(int status, int code, Integer subcode, String expected) {
        server.enqueue(code < 0 ? new MockResponse.Builder().code(status).body("upstream down").build()
                : graphError(status, code, subcode, "problem with token " + TOKEN));
        SendResult result = channel.send(PAGE, delivery(Optional.empty()));
        switch (expected) {
            case "transient" -> assertThat(result).isInstanceOf(SendResult.TransientFailure.class);
            case "window" -> assertThat(result).isInstanceOfSatisfying(SendResult.PermanentFailure.class,
                    f -> assertThat(f.reason()).startsWith("outside_messaging_window: graph error 10/2018278"));
            case "gone" -> assertThat(result).isInstanceOf(SendResult.RecipientGone.class);
            default -> assertThat(result).isInstanceOf(SendResult.PermanentFailure.class);
        }
        assertThat(result.toString()).doesNotContain(TOKEN);
        if (code > 0) {
            assertThat(result.toString()).contains("graph error " + code);
        }
    }

    @Test
    void throttling_honours_retry_after() {
        server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "120")
                .body("{\"error\":{\"message\":\"Calls to this api have exceeded the rate limit.\",\"code\":613}}").build());
        assertThat(channel.send(PAGE, delivery(Optional.empty())))
                .isEqualTo(new SendResult.TransientFailure("graph error 613 (HTTP 429): Calls to this api have exceeded the rate limit.",
                        Duration.ofSeconds(120)));
    }

    @Test
    void a_timeout_is_transient() {
        OkHttpClient impatient = HttpClients.shared(TestGuards.loopbackAllowed()).newBuilder().readTimeout(Duration.ofMillis(200))
                .callTimeout(Duration.ofMillis(500)).build();
        MessengerChannel slow = new MessengerChannel(impatient, TestAppSettings.of("SEQ_ACME__PAGE_TOKEN", TOKEN)::get, server.url("/").toString(), clock);
        server.enqueue(new MockResponse.Builder().code(200).headersDelay(2, TimeUnit.SECONDS).body("{}").build());
        assertThat(slow.send(PAGE, delivery(Optional.empty()))).isInstanceOf(SendResult.TransientFailure.class);
    }

    @Test
    void a_missing_page_token_setting_fails_for_good_without_calling_graph() {
        MessengerChannel unset = new MessengerChannel(HttpClients.shared(TestGuards.loopbackAllowed()), TestAppSettings.of()::get, server.url("/").toString(), clock);
        assertThat(unset.send(PAGE, delivery(Optional.empty())))
                .isEqualTo(new SendResult.PermanentFailure("page token setting SEQ_ACME__PAGE_TOKEN is not set"));
        assertThat(server.getRequestCount()).isZero();
    }
}
