package io.sequencer.adapters.channel;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a hostile or broken host cannot do to the webhook channel, and how a host checks what it received. */
class WebhookHardeningTest {
    private static final String SECRET = "whsec-hardening-value";
    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final MockWebServer server = new MockWebServer();
    private final Delivery delivery = new Delivery(new DeliveryId("dlv_00112233445566778899aabbccddeeff"),
            new EnrollmentKey("acme", "welcome", "psid-42"), "tips", "{\"text\":\"Hi\"}", Instant.parse("2026-03-01T08:59:58Z"), 1);
    private WebhookChannel channel;

    @BeforeEach
    void start() throws Exception {
        server.start();
        channel = new WebhookChannel(HttpClients.withTimeouts(TestGuards.loopbackAllowed(), Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMillis(700)),
                TestAppSettings.of("SEQ_ACME__HOOK_SECRET", SECRET)::get, clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private WebhookConfig hook() {
        return new WebhookConfig(URI.create(server.url("/hook").toString()), Optional.of("SEQ_ACME__HOOK_SECRET"));
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void a_redirect_is_permanent_and_its_location_is_not_followed(int status) throws Exception {
        server.enqueue(new MockResponse.Builder().code(status).setHeader("Location", server.url("/stolen")).build());
        server.enqueue(new MockResponse.Builder().code(200).build());
        assertThat(channel.send(hook(), delivery)).isInstanceOfSatisfying(SendResult.PermanentFailure.class,
                f -> assertThat(f.reason()).contains("HTTP " + status));
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getUrl().encodedPath()).isEqualTo("/hook");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void an_endless_2xx_body_is_not_read_and_the_send_completes_at_once() {
        // 64 MiB trickling out at 1 KiB per 100 ms would take the better part of a day to read.
        Buffer huge = new Buffer().write(new byte[64 * 1024 * 1024]);
        server.enqueue(new MockResponse.Builder().code(200).body(huge).throttleBody(1024, 100, TimeUnit.MILLISECONDS).build());
        long started = System.nanoTime();
        assertThat(channel.send(hook(), delivery)).isEqualTo(new SendResult.Sent("HTTP 200"));
        assertThat(since(started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void only_the_start_of_a_huge_error_body_is_read() {
        Buffer huge = new Buffer().writeUtf8("overloaded ").write(new byte[64 * 1024 * 1024]);
        server.enqueue(new MockResponse.Builder().code(503).body(huge).throttleBody(64 * 1024, 100, TimeUnit.MILLISECONDS).build());
        long started = System.nanoTime();
        assertThat(channel.send(hook(), delivery)).isInstanceOfSatisfying(SendResult.TransientFailure.class, f -> {
            assertThat(f.reason()).startsWith("webhook answered HTTP 503: overloaded");
            assertThat(f.reason().length()).isLessThanOrEqualTo("webhook answered HTTP 503: ".length() + SendFailures.MAX_ERROR_BODY);
        });
        assertThat(since(started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void a_host_that_never_answers_is_transient_within_the_call_timeout() {
        server.enqueue(new MockResponse.Builder().code(200).onResponseStart(SocketEffect.Stall.INSTANCE).build());
        long started = System.nanoTime();
        assertThat(channel.send(hook(), delivery)).isInstanceOfSatisfying(SendResult.TransientFailure.class,
                f -> assertThat(f.reason()).startsWith("webhook unreachable"));
        // The read timeout (10 s) would not have fired yet: the call timeout (700 ms) is what bounds it.
        assertThat(since(started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void the_production_client_bounds_every_wait_and_follows_no_redirect() {
        var client = HttpClients.shared(TestGuards.loopbackAllowed());
        assertThat(client.connectTimeoutMillis()).isEqualTo(5_000);
        assertThat(client.readTimeoutMillis()).isEqualTo(10_000);
        assertThat(client.writeTimeoutMillis()).isEqualTo(10_000);
        assertThat(client.callTimeoutMillis()).isEqualTo(20_000);
        assertThat(client.followRedirects()).isFalse();
        assertThat(client.followSslRedirects()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws://HOST/hook", "wss://HOST/hook", "ftp://HOST/hook", "file:///etc/passwd", "javascript:alert(1)", "//HOST/hook"})
    void a_url_that_is_not_http_or_https_is_refused_before_any_request(String url) {
        SignedPost post = new SignedPost(HttpClients.shared(TestGuards.loopbackAllowed()), TestAppSettings.of("SEQ_ACME__HOOK_SECRET", SECRET)::get, clock);
        String target = url.replace("HOST", server.getHostName() + ":" + server.getPort());
        assertThat(post.post(target, "{}", "acme", Optional.of("SEQ_ACME__HOOK_SECRET"), Optional.empty(), "msg_1", Map.of(), "webhook"))
                .isEqualTo(new SendResult.PermanentFailure("webhook url must be http or https"));
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void a_host_accepts_a_fresh_signature_and_refuses_a_stale_replay_or_a_changed_body() throws Exception {
        server.enqueue(new MockResponse.Builder().code(204).build());
        channel.send(hook(), delivery);
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        String header = request.getHeaders().get(WebhookSignature.HEADER);
        byte[] body = request.getBody().toByteArray();
        Instant signedAt = clock.instant();

        assertThat(HostVerifier.accepts(SECRET, header, body, signedAt)).isTrue();
        assertThat(HostVerifier.accepts(SECRET, header, body, signedAt.plus(Duration.ofMinutes(4)))).isTrue();
        assertThat(HostVerifier.accepts(SECRET, header, body, signedAt.plus(Duration.ofMinutes(5).plusSeconds(1))))
                .as("replayed after the 5 minute window").isFalse();
        assertThat(HostVerifier.accepts(SECRET, header, body, signedAt.minus(Duration.ofMinutes(6))))
                .as("from a clock far ahead of the host's").isFalse();
        assertThat(HostVerifier.accepts("another-secret", header, body, signedAt)).isFalse();
        byte[] changed = new String(body, StandardCharsets.UTF_8).replace("tips", "spam").getBytes(StandardCharsets.UTF_8);
        assertThat(HostVerifier.accepts(SECRET, header, changed, signedAt)).isFalse();
        String restamped = header.replaceFirst("t=\\d+", "t=" + signedAt.plus(Duration.ofMinutes(10)).getEpochSecond());
        assertThat(HostVerifier.accepts(SECRET, restamped, body, signedAt.plus(Duration.ofMinutes(10))))
                .as("a replay with a fresh timestamp pasted in").isFalse();
        assertThat(HostVerifier.accepts(SECRET, "v1=abc", body, signedAt)).isFalse();
        assertThat(HostVerifier.accepts(SECRET, null, body, signedAt)).isFalse();
    }

    /** What docs/NOTIFICATIONS.md ("Receiving them") asks of a receiving host, written independently of {@link WebhookSignature}. */
    private static final class HostVerifier {
        private static final Duration TOLERANCE = Duration.ofMinutes(5);

        static boolean accepts(String secret, String header, byte[] rawBody, Instant now) throws Exception {
            if (header == null) {
                return false;
            }
            Map<String, String> parts = new HashMap<>();
            for (String part : header.split(",")) {
                String[] kv = part.split("=", 2);
                if (kv.length == 2) {
                    parts.put(kv[0].trim(), kv[1].trim());
                }
            }
            long t;
            try {
                t = Long.parseLong(parts.getOrDefault("t", ""));
            } catch (NumberFormatException e) {
                return false;
            }
            if (Duration.between(Instant.ofEpochSecond(t), now).abs().compareTo(TOLERANCE) > 0) {
                return false;
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = HexFormat.of().formatHex(mac.doFinal(rawBody)).getBytes(StandardCharsets.US_ASCII);
            return MessageDigest.isEqual(expected, parts.getOrDefault("v1", "").getBytes(StandardCharsets.US_ASCII));
        }
    }
}
