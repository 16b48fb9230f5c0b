package io.sequencer.adapters.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.channel.sendgrid.SendGridChannel;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;
import io.sequencer.testing.SteppingClock;
import io.sequencer.testing.TestAppSettings;
import io.sequencer.testing.TestGuards;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SendGridChannelTest {
    private static final String API_KEY = "SG.k3y-id.v4lue-0f-the-k3y";
    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final MockWebServer server = new MockWebServer();
    private final SendGridConfig config = new SendGridConfig("SEQ_ACME__SENDGRID_KEY", "news@acme.example", Optional.of("Acme News"));
    private SendGridChannel channel;

    @BeforeEach
    void start() throws Exception {
        server.start();
        channel = new SendGridChannel(HttpClients.withTimeouts(TestGuards.loopbackAllowed(), Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(3)),
                TestAppSettings.of("SEQ_ACME__SENDGRID_KEY", API_KEY)::get, server.url("/").toString(), clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Delivery delivery(String message) {
        return new Delivery(new DeliveryId("dlv_00112233445566778899aabbccddeeff"), new EnrollmentKey("acme", "welcome", "sub-42"),
                "tips", message, Instant.parse("2026-03-01T08:59:58Z"), 1, Optional.empty(), Optional.of("ada@example.com"));
    }

    private static final Delivery TEMPLATED = delivery(
            "{\"templateId\":\"d-0123456789abcdef\",\"dynamicTemplateData\":{\"first\":\"Ada\",\"n\":[1,2.50]}}");
    private static final Delivery WRITTEN = delivery(
            "{\"subject\":\"Three tips\",\"html\":\"<p>Hi <b>Ada</b></p>\",\"text\":\"Hi Ada\"}");

    private SendResult answeredWith(MockResponse response) {
        server.enqueue(response);
        return channel.send(config, WRITTEN);
    }

    @Test
    void posts_a_templated_mail_to_the_v3_send_endpoint_with_the_key_as_bearer() throws Exception {
        server.enqueue(new MockResponse.Builder().code(202).setHeader("X-Message-Id", "msg-abc123").build());
        assertThat(channel.send(config, TEMPLATED)).isEqualTo(new SendResult.Sent("sendgrid msg-abc123"));

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v3/mail/send");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(Json.read(request.getBody().utf8())).isEqualTo(Json.read("""
                {"personalizations":[{"to":[{"email":"ada@example.com"}],
                  "dynamic_template_data":{"first":"Ada","n":[1,2.50]},
                  "custom_args":{"deliveryId":"dlv_00112233445566778899aabbccddeeff","account":"acme",
                                 "sequenceId":"welcome","stepId":"tips","subscriberId":"sub-42"}}],
                 "from":{"email":"news@acme.example","name":"Acme News"},
                 "template_id":"d-0123456789abcdef"}"""));
    }

    @Test
    void posts_a_written_mail_with_text_before_html() throws Exception {
        server.enqueue(new MockResponse.Builder().code(202).build());
        SendGridConfig unnamed = new SendGridConfig("SEQ_ACME__SENDGRID_KEY", "news@acme.example", Optional.empty());
        assertThat(channel.send(unnamed, WRITTEN)).isInstanceOf(SendResult.Sent.class);

        JsonNode body = Json.read(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        assertThat(body).isEqualTo(Json.read("""
                {"personalizations":[{"to":[{"email":"ada@example.com"}],
                  "custom_args":{"deliveryId":"dlv_00112233445566778899aabbccddeeff","account":"acme",
                                 "sequenceId":"welcome","stepId":"tips","subscriberId":"sub-42"}}],
                 "from":{"email":"news@acme.example"},
                 "subject":"Three tips",
                 "content":[{"type":"text/plain","value":"Hi Ada"},{"type":"text/html","value":"<p>Hi <b>Ada</b></p>"}]}"""));
    }

    @Test
    void html_alone_is_the_only_content() throws Exception {
        server.enqueue(new MockResponse.Builder().code(202).build());
        channel.send(config, delivery("{\"subject\":\"Hello\",\"html\":\"<p>Hi</p>\"}"));
        JsonNode body = Json.read(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        assertThat(body.path("content")).isEqualTo(Json.read("[{\"type\":\"text/html\",\"value\":\"<p>Hi</p>\"}]"));
    }

    @Test
    void any_2xx_is_sent_even_without_a_message_id() {
        assertThat(answeredWith(new MockResponse.Builder().code(200).build())).isEqualTo(new SendResult.Sent("sendgrid HTTP 200"));
    }

    @Test
    void throttling_honours_retry_after() {
        assertThat(answeredWith(new MockResponse.Builder().code(429).setHeader("Retry-After", "30")
                .setHeader("X-RateLimit-Reset", clock.instant().plusSeconds(600).getEpochSecond()).build()))
                .isInstanceOfSatisfying(SendResult.TransientFailure.class,
                        f -> assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(30)));
    }

    @Test
    void throttling_without_retry_after_waits_for_the_rate_limit_reset() {
        assertThat(answeredWith(new MockResponse.Builder().code(429)
                .setHeader("X-RateLimit-Reset", clock.instant().plusSeconds(42).getEpochSecond()).build()))
                .isInstanceOfSatisfying(SendResult.TransientFailure.class,
                        f -> assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(42)));
    }

    @Test
    void a_rate_limit_reset_already_past_means_retry_at_once() {
        assertThat(answeredWith(new MockResponse.Builder().code(429)
                .setHeader("X-RateLimit-Reset", clock.instant().minusSeconds(5).getEpochSecond()).build()))
                .isInstanceOfSatisfying(SendResult.TransientFailure.class, f -> assertThat(f.retryAfter()).isEqualTo(Duration.ZERO));
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 500, 502, 503})
    void server_errors_are_transient(int status) {
        assertThat(answeredWith(new MockResponse.Builder().code(status)
                .body("{\"errors\":[{\"message\":\"internal error\",\"field\":null}]}").build()))
                .isInstanceOfSatisfying(SendResult.TransientFailure.class,
                        f -> assertThat(f.reason()).isEqualTo("sendgrid answered HTTP " + status + ": internal error"));
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void a_refused_key_is_permanent(int status) {
        assertThat(answeredWith(new MockResponse.Builder().code(status)
                .body("{\"errors\":[{\"message\":\"The provided authorization grant is invalid, expired, or revoked\"}]}").build()))
                .isEqualTo(new SendResult.PermanentFailure("sendgrid rejected the API key (HTTP " + status + ")"));
    }

    @Test
    void a_refused_mail_is_permanent_with_sendgrids_first_error_on_one_line() {
        String errors = """
                {"errors":[{"message":"The from address does not match a verified\\nSender Identity.","field":"from",
                "help":null},{"message":"second","field":"x"}]}""";
        assertThat(answeredWith(new MockResponse.Builder().code(400).body(errors).build()))
                .isEqualTo(new SendResult.PermanentFailure(
                        "sendgrid answered HTTP 400: The from address does not match a verified Sender Identity."));
    }

    @Test
    void an_error_body_that_is_not_sendgrid_json_is_quoted_short() {
        assertThat(answeredWith(new MockResponse.Builder().code(413).body("<html>" + "x".repeat(5_000) + "</html>").build()))
                .isInstanceOfSatisfying(SendResult.PermanentFailure.class, f -> {
                    assertThat(f.reason()).startsWith("sendgrid answered HTTP 413: <html>xxx");
                    assertThat(f.reason().length()).isLessThan(300);
                });
    }

    @Test
    void a_redirect_is_permanent_and_not_followed() {
        assertThat(answeredWith(new MockResponse.Builder().code(302).setHeader("Location", server.url("/elsewhere")).build()))
                .isInstanceOf(SendResult.PermanentFailure.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void no_answer_in_time_is_transient() {
        long started = System.nanoTime();
        assertThat(answeredWith(new MockResponse.Builder().code(202).headersDelay(5, TimeUnit.SECONDS).build()))
                .isInstanceOfSatisfying(SendResult.TransientFailure.class, f -> assertThat(f.reason()).startsWith("sendgrid unreachable"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void a_dropped_connection_is_transient() {
        assertThat(answeredWith(new MockResponse.Builder().code(202).onResponseStart(new SocketEffect.CloseSocket()).build()))
                .isInstanceOf(SendResult.TransientFailure.class);
    }

    @Test
    void a_subscriber_without_email_fails_permanently_without_calling() {
        Delivery noEmail = new Delivery(WRITTEN.deliveryId(), WRITTEN.key(), "tips", WRITTEN.message(), WRITTEN.dueAt(), 1);
        assertThat(channel.send(config, noEmail)).isEqualTo(new SendResult.PermanentFailure("subscriber has no email attribute"));
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void a_key_setting_that_is_not_set_fails_permanently_naming_the_setting() {
        SendGridConfig other = new SendGridConfig("SEQ_ACME__OTHER_KEY", "news@acme.example", Optional.empty());
        assertThat(channel.send(other, WRITTEN)).isEqualTo(new SendResult.PermanentFailure("sendgrid API key setting SEQ_ACME__OTHER_KEY is not set"));
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void a_key_no_header_can_carry_fails_permanently_without_quoting_it() {
        SendGridChannel broken = new SendGridChannel(HttpClients.shared(TestGuards.loopbackAllowed()),
                TestAppSettings.of("SEQ_ACME__SENDGRID_KEY", "SG.bad\u0007key")::get, server.url("/").toString(), clock);
        assertThat(broken.send(config, WRITTEN)).isInstanceOfSatisfying(SendResult.PermanentFailure.class,
                f -> assertThat(f.reason()).contains("SEQ_ACME__SENDGRID_KEY").doesNotContain("bad"));
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void the_production_endpoint_is_sendgrids() {
        assertThat(SendGridChannel.DEFAULT_BASE_URL).isEqualTo("https://api.sendgrid.com");
    }

    @Test
    void the_api_key_appears_in_no_result_of_any_error_path() {
        List<MockResponse> answers = List.of(
                new MockResponse.Builder().code(202).setHeader("X-Message-Id", "id-" + API_KEY).build(),
                new MockResponse.Builder().code(400).body("{\"errors\":[{\"message\":\"bad key Bearer " + API_KEY + "\"}]}").build(),
                new MockResponse.Builder().code(400).body("not json, key was " + API_KEY).build(),
                new MockResponse.Builder().code(401).body(API_KEY).build(),
                new MockResponse.Builder().code(403).body(API_KEY).build(),
                new MockResponse.Builder().code(404).body("x".repeat(190) + API_KEY).build(),
                new MockResponse.Builder().code(429).setHeader("Retry-After", API_KEY).body(API_KEY).build(),
                new MockResponse.Builder().code(500).body("{\"errors\":[{\"message\":\"" + API_KEY + "\"}]}").build(),
                new MockResponse.Builder().code(503).body(API_KEY.repeat(100)).build(),
                new MockResponse.Builder().code(202).headersDelay(5, TimeUnit.SECONDS).build());
        for (MockResponse answer : answers) {
            assertThat(answeredWith(answer).toString()).doesNotContain(API_KEY).doesNotContain("v4lue-0f");
        }
    }
}
