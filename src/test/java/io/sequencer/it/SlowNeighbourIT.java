package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.LocalHostFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A slow or failing receiver of one account does not delay the others: account A's receiver hangs for 20 s (or
 * refuses connections) while account B's steps, due at the same moment on the same instance, arrive well before
 * A's hanging sends time out: B's p99 lateness (receive time minus the payload's {@code dueAt}) stays under
 * {@link #P99_LIMIT_MS}, where without the bulkhead it is 10-20 s (figures in docs/BENCHMARKS.md). Then A's open
 * circuit shows in its enrollment, its subscriber's timeline and the metrics.
 */
class SlowNeighbourIT {
    private static final Logger LOG = Logger.getLogger(SlowNeighbourIT.class.getName());
    private static final int SUBSCRIBERS = 20;
    private static final Duration HANG = Duration.ofSeconds(20);
    private static final long P99_LIMIT_MS = 1000;

    private static LocalHostFixture host;
    private static WebhookSink sink;

    @BeforeAll
    static void start() throws Exception {
        // An idle queue is polled every maxPollingInterval (1 s in host.json), which alone can make a step up to a
        // second late whatever its neighbours do; polled at most every 500 ms, the lateness measured here is the
        // neighbour's doing. (Before the bulkhead, B's p99 was 10-20 s either way.)
        host = LocalHostFixture.start(hostJson -> ((ObjectNode) hostJson.path("extensions").path("queues"))
                .put("maxPollingInterval", "00:00:00.500"));
        sink = new WebhookSink(null);
    }

    @AfterAll
    static void stop() {
        sink.close();
        host.close();
    }

    @Test
    void a_receiver_that_hangs_does_not_delay_another_accounts_steps() throws Exception {
        try (HangingReceiver hanging = new HangingReceiver(HANG)) {
            String a = runBeside(hanging.url(), "hangs for " + HANG.toSeconds() + " s");
            // Four sends at a time hang until the client's read timeout; five of those open the circuit.
            await(() -> openCircuit(hanging.origin()) != null, Duration.ofSeconds(40));
            showsTheOpenCircuit(a, hanging.origin());
        }
    }

    @Test
    void a_receiver_that_refuses_connections_does_not_delay_another_accounts_steps() throws Exception {
        String refusing = refusingUrl();
        String origin = refusing.substring(0, refusing.indexOf("/hook"));
        String a = runBeside(refusing, "refuses connections");
        await(() -> openCircuit(origin) != null, Duration.ofSeconds(20));
        showsTheOpenCircuit(a, origin);
    }

    /**
     * Enrolls {@link #SUBSCRIBERS} subscribers of account A (sending to {@code slowUrl}) and as many of account B
     * (sending to the sink) into two-step sequences due at the same moments, then measures B's lateness.
     * @return account A
     */
    private static String runBeside(String slowUrl, String label) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String a = "slow-" + run;
        String b = "calm-" + run;
        define(a, slowUrl);
        define(b, sink.url());
        enroll(a);
        enroll(b);
        await(() -> received(b).size() >= 2 * SUBSCRIBERS, Duration.ofSeconds(45));
        List<Long> lateness = received(b).stream()
                .map(r -> Duration.between(r.dueAt(), r.receivedAt()).toMillis()).sorted().toList();
        long p50 = percentile(lateness, 0.50);
        long p99 = percentile(lateness, 0.99);
        LOG.info("slow neighbour (A's receiver " + label + "): account B lateness over " + lateness.size() + " steps: p50 " + p50
                + " ms, p99 " + p99 + " ms, max " + lateness.get(lateness.size() - 1) + " ms");
        assertThat(received(b)).extracting(WebhookSink.Received::deliveryId).doesNotHaveDuplicates();
        assertThat(p99).as("account B's p99 lateness (ms) while A's receiver " + label).isLessThanOrEqualTo(P99_LIMIT_MS);
        return a;
    }

    private static void define(String account, String url) {
        String body = "{\"name\":\"Drip\",\"steps\":["
                + "{\"id\":\"a\",\"delay\":{\"amount\":6,\"unit\":\"seconds\"},\"message\":{\"text\":\"one\"}},"
                + "{\"id\":\"b\",\"delay\":{\"amount\":3,\"unit\":\"seconds\"},\"message\":{\"text\":\"two\"}}],"
                + "\"channel\":{\"type\":\"webhook\",\"url\":\"" + url + "\"}}";
        assertThat(host.call("PUT", "/api/accounts/" + account + "/sequences/drip", body).statusCode()).isIn(200, 201);
    }

    private static void enroll(String account) {
        String entries = IntStream.rangeClosed(1, SUBSCRIBERS).mapToObj(i -> "{\"subscriberId\":\"u" + i + "\"}")
                .collect(Collectors.joining(","));
        var answer = host.call("POST", "/api/accounts/" + account + "/sequences/drip/subscribers:batch",
                "{\"subscribers\":[" + entries + "]}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    private static void showsTheOpenCircuit(String account, String origin) {
        JsonNode circuit = openCircuit(origin);
        assertThat(circuit.path("state").asText()).isIn("open", "half-open");
        assertThat(circuit.path("failureRate").asDouble()).isGreaterThanOrEqualTo(0.5);
        // Every step of A is still there, waiting: deferred, not dropped and not failed.
        List<JsonNode> enrollments = new ArrayList<>();
        await(() -> {
            enrollments.clear();
            enrollments.addAll(enrollments(account));
            return enrollments.stream().anyMatch(e -> e.has("deferred"));
        }, Duration.ofSeconds(10));
        assertThat(enrollments).hasSize(SUBSCRIBERS).allSatisfy(enrollment -> {
            assertThat(enrollment.path("status").asText()).isEqualTo("active");
            assertThat(enrollment.path("nextStepId").asText()).isEqualTo("a");
            assertThat(enrollment.path("steps")).isEmpty();
        });
        JsonNode shown = enrollments.stream().filter(e -> e.has("deferred")).findFirst().orElseThrow();
        assertThat(shown.path("deferred").path("destination").asText()).isEqualTo(origin);
        assertThat(shown.path("deferred").path("reason").asText()).isEqualTo("circuit_open");
        assertThat(shown.path("deferred").path("until").asText()).isNotEmpty();
        String subscriber = shown.path("subscriberId").asText();
        JsonNode timeline = Json.read(host.call("GET", "/api/accounts/" + account + "/subscribers/" + subscriber
                + "/timeline", null).body());
        assertThat(timeline.path("entries")).anySatisfy(entry -> {
            assertThat(entry.path("type").asText()).isEqualTo("step.deferred");
            assertThat(entry.path("destination").asText()).isEqualTo(origin);
        });
    }

    /** A's enrollments, as GET shows them. */
    private static List<JsonNode> enrollments(String account) {
        return IntStream.rangeClosed(1, SUBSCRIBERS).mapToObj(i -> Json.read(host.call("GET",
                "/api/accounts/" + account + "/sequences/drip/subscribers/u" + i, null).body())).toList();
    }

    /** The metrics' entry for {@code origin}'s circuit, or null while it is closed. */
    private static JsonNode openCircuit(String origin) {
        JsonNode metrics = Json.read(host.call("GET", "/api/metrics", null).body());
        for (JsonNode circuit : metrics.path("openCircuits")) {
            if (circuit.path("destination").asText().equals(origin)) {
                return circuit;
            }
        }
        return null;
    }

    private static List<WebhookSink.Received> received(String account) {
        return sink.received().stream().filter(r -> r.payload().path("account").asText().equals(account)).toList();
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
    }

    /** A URL on 127.0.0.1 where nothing listens: every connection is refused at once. */
    private static String refusingUrl() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + probe.getLocalPort() + "/hook";
        }
    }

    /** Accepts connections on 127.0.0.1 and answers none of them: each is held {@code hang}, then closed. */
    private static final class HangingReceiver implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        HangingReceiver(Duration hang) throws IOException {
            server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        held.add(socket);
                        Thread closer = new Thread(() -> {
                            try {
                                Thread.sleep(hang.toMillis());
                                socket.close();
                            } catch (InterruptedException | IOException e) {
                                // closing early, or already closed: nothing to do
                            }
                        }, "hanging-receiver-close");
                        closer.setDaemon(true);
                        closer.start();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "hanging-receiver");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String origin() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        String url() {
            return origin() + "/hook";
        }

        @Override
        public void close() {
            try {
                server.close();
                for (Socket socket : held) {
                    socket.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
