package io.sequencer.adapters.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.webhook.WebhookChannel;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;
import io.sequencer.testing.SteppingClock;
import io.sequencer.testing.TestGuards;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

/**
 * A pooled connection the receiver has closed is never a failed send; anything else that fails stays one attempt.
 * The receiver is a real socket server that closes connections the way real receivers do.
 */
class StaleConnectionRetryTest {
    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final MockWebServer server = new MockWebServer();
    private final Delivery delivery = new Delivery(new DeliveryId("dlv_00112233445566778899aabbccddeeff"),
            new EnrollmentKey("acme", "welcome", "sub-42"), "tips", "{\"text\":\"Hi\"}", Instant.parse("2026-03-01T08:59:58Z"), 1);
    // Short waits: a test that waited out a timeout twice would still finish, and be caught by the request count.
    private final WebhookChannel channel = new WebhookChannel(
            HttpClients.withTimeouts(TestGuards.loopbackAllowed(), Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(3)), name -> null, clock);

    @BeforeEach
    void start() throws Exception {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SendResult send() {
        return channel.send(new WebhookConfig(URI.create(server.url("/hook").toString()), Optional.empty()), delivery);
    }

    private List<RecordedRequest> requests() throws InterruptedException {
        List<RecordedRequest> all = new ArrayList<>();
        for (RecordedRequest r = server.takeRequest(1, TimeUnit.SECONDS); r != null; r = server.takeRequest(200, TimeUnit.MILLISECONDS)) {
            all.add(r);
        }
        return all;
    }

    private static MockResponse ok() {
        return new MockResponse.Builder().code(200).build();
    }

    /** An answer after which the receiver closes the connection without saying so. */
    private static MockResponse okThenClose(String statusLine) {
        return new MockResponse.Builder().status(statusLine).onResponseEnd(new SocketEffect.CloseSocket()).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.0 200 OK", "HTTP/1.1 200 OK"})
    void a_connection_the_receiver_closed_after_answering_is_not_a_failed_send(String statusLine) throws Exception {
        server.enqueue(okThenClose(statusLine));
        server.enqueue(okThenClose(statusLine));
        server.enqueue(ok());

        for (int i = 0; i < 3; i++) {
            assertThat(send()).as("send %d", i + 1).isEqualTo(new SendResult.Sent("HTTP 200"));
        }
        // Each repeat went out on a new connection, and the receiver got each send exactly once.
        assertThat(requests()).extracting(RecordedRequest::getConnectionIndex).containsExactly(0, 1, 2);
    }

    @Test
    void a_request_that_fails_again_on_the_new_connection_is_one_transient_failure_after_one_repeat() throws Exception {
        server.enqueue(ok());
        // This receiver reads every request and then hangs up: on the kept connection, then on the new one.
        server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
        server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
        server.enqueue(ok());

        assertThat(send()).isEqualTo(new SendResult.Sent("HTTP 200"));
        assertThat(send()).isInstanceOfSatisfying(SendResult.TransientFailure.class,
                f -> assertThat(f.reason()).startsWith("webhook unreachable"));
        assertThat(requests()).extracting(RecordedRequest::getConnectionIndex).containsExactly(0, 0, 1);
    }

    @Test
    void a_new_connection_the_receiver_drops_is_one_attempt() throws Exception {
        server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
        server.enqueue(ok());

        assertThat(send()).isInstanceOf(SendResult.TransientFailure.class);
        assertThat(requests()).hasSize(1);
    }

    @Test
    void a_receiver_that_does_not_answer_in_time_on_a_kept_connection_is_waited_for_once() throws Exception {
        server.enqueue(ok());
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
        server.enqueue(ok());

        assertThat(send()).isEqualTo(new SendResult.Sent("HTTP 200"));
        assertThat(send()).isInstanceOfSatisfying(SendResult.TransientFailure.class,
                f -> assertThat(f.reason()).isEqualTo("webhook unreachable: timeout"));
        assertThat(requests()).extracting(RecordedRequest::getConnectionIndex).containsExactly(0, 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 503})
    void an_answer_on_a_kept_connection_is_never_repeated(int status) throws Exception {
        server.enqueue(ok());
        server.enqueue(new MockResponse.Builder().code(status).build());
        server.enqueue(ok());

        assertThat(send()).isEqualTo(new SendResult.Sent("HTTP 200"));
        assertThat(send()).isInstanceOf(SendResult.TransientFailure.class);
        assertThat(requests()).hasSize(2);
    }
}
