package io.sequencer.adapters.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.webhook.WebhookChannel;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.address.DestinationPolicy;
import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.engine.send.AddressGuard;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;
import io.sequencer.testing.ScriptedResolver;
import io.sequencer.testing.SteppingClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A failed send's detail, which the account sees in its enrollments, timelines and notification settings, names
 * the class of the failure only: never an exception's class or message, an address a name resolved to, or
 * anything else that would let an account map the network it cannot reach.
 */
class FailureDetailsTest {
    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final MockWebServer server = new MockWebServer();
    private final ScriptedResolver dns = new ScriptedResolver();
    private final Delivery delivery = new Delivery(new DeliveryId("dlv_00112233445566778899aabbccddeeff"),
            new EnrollmentKey("acme", "welcome", "s1"), "one", "{\"text\":\"hi\"}",
            Instant.parse("2026-03-01T08:59:58Z"), 1);
    private WebhookChannel channel;

    @BeforeEach
    void start() throws Exception {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        AddressGuard guard = new AddressGuard(new DestinationPolicy(true, false), dns);
        channel = new WebhookChannel(HttpClients.withTimeouts(guard, Duration.ofSeconds(1), Duration.ofMillis(300),
                Duration.ofSeconds(2)), name -> null, clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String detailOf(String url) {
        SendResult result = channel.send(new WebhookConfig(URI.create(url), Optional.empty()), delivery);
        assertThat(result).isInstanceOf(SendResult.TransientFailure.class);
        String detail = ((SendResult.TransientFailure) result).reason();
        assertThat(detail).doesNotContain("Exception", "127.0.0", "/127", "refused:", "timed out", "java.");
        return detail;
    }

    @Test
    void a_closed_port_is_connection_refused() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = socket.getLocalPort();
        }
        assertThat(detailOf("http://127.0.0.1:" + closed + "/hook")).isEqualTo("webhook unreachable: connection refused");
    }

    @Test
    void a_silent_receiver_is_a_timeout() {
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
        assertThat(detailOf("http://127.0.0.1:" + server.getPort() + "/hook")).isEqualTo("webhook unreachable: timeout");
    }

    @Test
    void a_handshake_that_fails_is_tls() throws Exception {
        // https to a plain-HTTP server, which answers at once: the handshake meets an HTTP answer.
        try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Thread answer = new Thread(() -> {
                try (Socket s = plain.accept()) {
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    s.getInputStream().read(new byte[4096]);
                } catch (IOException ignored) {
                    // the client gave up first
                }
            });
            answer.start();
            assertThat(detailOf("https://127.0.0.1:" + plain.getLocalPort() + "/hook"))
                    .isEqualTo("webhook unreachable: TLS failure");
            answer.join(2000);
        }
    }

    @Test
    void a_name_without_addresses_is_host_not_found() {
        assertThat(detailOf("http://nowhere.example.com:" + server.getPort() + "/hook"))
                .isEqualTo("webhook unreachable: host not found");
    }

    @Test
    void a_connection_cut_mid_answer_is_a_network_error() {
        server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
        assertThat(detailOf("http://127.0.0.1:" + server.getPort() + "/hook")).isEqualTo("webhook unreachable: network error");
    }
}
