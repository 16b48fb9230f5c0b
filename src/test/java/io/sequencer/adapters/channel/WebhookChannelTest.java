package io.sequencer.adapters.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.channel.webhook.WebhookChannel;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;
import io.sequencer.testing.SteppingClock;
import io.sequencer.testing.TestAppSettings;
import io.sequencer.testing.TestGuards;
import java.net.URI;
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
import org.junit.jupiter.params.provider.ValueSource;

class WebhookChannelTest {
    private static final String SECRET = "s3cr3t-value";
    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final MockWebServer server = new MockWebServer();
    private final Delivery delivery = new Delivery(new DeliveryId("dlv_00112233445566778899aabbccddeeff"),
            new EnrollmentKey("acme", "welcome", "psid-42"), "tips", "{\"text\":\"Hi \\\"there\\\"\",\"n\":[1,2]}",
            Instant.parse("2026-03-01T08:59:58Z"), 2);
    private WebhookChannel channel;

    @BeforeEach
    void start() throws Exception {
        server.start();
        channel = new WebhookChannel(HttpClients.shared(TestGuards.loopbackAllowed()), TestAppSettings.of("SEQ_ACME__HOOK_SECRET", SECRET)::get, clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private WebhookConfig config(Optional<String> secretSetting) {
        return new WebhookConfig(URI.create(server.url("/hooks/sequencer").toString()), secretSetting);
    }

    @Test
    void posts_the_documented_payload_with_idempotency_key_and_signature() throws Exception {
        server.enqueue(new MockResponse.Builder().code(204).build());
        SendResult result = channel.send(config(Optional.of("SEQ_ACME__HOOK_SECRET")), delivery);
        assertThat(result).isInstanceOf(SendResult.Sent.class);

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/hooks/sequencer");
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(request.getHeaders().get("Idempotency-Key")).isEqualTo(delivery.deliveryId().value());
        String body = request.getBody().utf8();
        JsonNode json = Json.read(body);
        assertThat(json.path("deliveryId").asText()).isEqualTo(delivery.deliveryId().value());
        assertThat(json.path("account").asText()).isEqualTo("acme");
        assertThat(json.path("sequenceId").asText()).isEqualTo("welcome");
        assertThat(json.path("stepId").asText()).isEqualTo("tips");
        assertThat(json.path("subscriberId").asText()).isEqualTo("psid-42");
        assertThat(json.path("message")).isEqualTo(Json.read(delivery.message()));
        assertThat(json.path("dueAt").asText()).isEqualTo("2026-03-01T08:59:58Z");
        assertThat(json.path("attempt").asInt()).isEqualTo(2);

        long t = clock.instant().getEpochSecond();
        String expected = "t=" + t + ",v1=" + WebhookSignature.hmacHex(SECRET, t + "." + body);
        assertThat(request.getHeaders().get(WebhookSignature.HEADER)).isEqualTo(expected);
        assertThat(request.getHeaders().toString()).doesNotContain(SECRET);
    }

    @Test
    void the_signature_matches_an_independent_hmac_sha256() throws Exception {
        // Known-answer test: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
        assertThat(WebhookSignature.hmacHex("key", "The quick brown fox jumps over the lazy dog"))
                .isEqualTo("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    }

    @Test
    void without_a_secret_setting_no_signature_is_sent() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).build());
        channel.send(config(Optional.empty()), delivery);
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get(WebhookSignature.HEADER)).isNull();
    }

    @Test
    void a_secret_setting_that_is_not_set_fails_permanently_without_calling() {
        SendResult result = channel.send(config(Optional.of("SEQ_ACME__MISSING_SECRET")), delivery);
        assertThat(result).isInstanceOfSatisfying(SendResult.PermanentFailure.class,
                f -> assertThat(f.reason()).contains("SEQ_ACME__MISSING_SECRET"));
        assertThat(server.getRequestCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503, 504})
    void timeouts_throttling_and_server_errors_are_transient(int status) {
        server.enqueue(new MockResponse.Builder().code(status).body("busy").build());
        assertThat(channel.send(config(Optional.empty()), delivery)).isInstanceOfSatisfying(SendResult.TransientFailure.class,
                f -> assertThat(f.reason()).contains("HTTP " + status).contains("busy"));
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 307, 400, 401, 403, 404, 410, 422})
    void other_statuses_and_redirects_are_permanent(int status) {
        server.enqueue(new MockResponse.Builder().code(status).setHeader("Location", "http://elsewhere.example/").build());
        assertThat(channel.send(config(Optional.empty()), delivery)).isInstanceOf(SendResult.PermanentFailure.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void retry_after_in_seconds_or_as_a_date_is_honoured() {
        server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "120").build());
        server.enqueue(new MockResponse.Builder().code(503).setHeader("Retry-After", "Sun, 01 Mar 2026 09:05:00 GMT").build());
        assertThat(channel.send(config(Optional.empty()), delivery)).isInstanceOfSatisfying(SendResult.TransientFailure.class,
                f -> assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(120)));
        assertThat(channel.send(config(Optional.empty()), delivery)).isInstanceOfSatisfying(SendResult.TransientFailure.class,
                f -> assertThat(f.retryAfter()).isEqualTo(Duration.ofMinutes(5)));
    }

    @Test
    void a_server_that_does_not_answer_in_time_is_a_transient_failure() {
        OkHttpClient impatient = HttpClients.shared(TestGuards.loopbackAllowed()).newBuilder().readTimeout(Duration.ofMillis(200)).build();
        WebhookChannel quick = new WebhookChannel(impatient, name -> null, clock);
        server.enqueue(new MockResponse.Builder().code(200).headersDelay(2, TimeUnit.SECONDS).build());
        assertThat(quick.send(config(Optional.empty()), delivery)).isInstanceOfSatisfying(SendResult.TransientFailure.class,
                f -> assertThat(f.reason()).contains("unreachable"));
    }

    @Test
    void a_url_the_http_client_cannot_use_is_a_permanent_failure_not_a_crash() {
        WebhookConfig bad = new WebhookConfig(URI.create("http://h.example:70000/hook"), Optional.empty());
        assertThat(channel.send(bad, delivery)).isInstanceOf(SendResult.PermanentFailure.class);
    }

    @Test
    void a_refused_connection_is_a_transient_failure() {
        WebhookConfig nowhere = new WebhookConfig(URI.create("http://127.0.0.1:1/hook"), Optional.empty());
        assertThat(channel.send(nowhere, delivery)).isInstanceOf(SendResult.TransientFailure.class);
    }
}
