package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.testing.LocalHostFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Receivers that hang or refuse, an account of {@link #SUBSCRIBERS} subscribers sending to one in a two-step drip
 * (4 s, then 2 s), and what the host shows once that receiver's circuit opens: for {@link SlowNeighbourIT} (how
 * late another account's steps are meanwhile) and {@link OpenCircuitIT} (the circuit itself).
 */
final class SlowReceivers {
    static final int SUBSCRIBERS = 20;

    private SlowReceivers() {
    }

    /** Defines {@code account}'s drip (steps {@code a} and {@code b}, 4 s then 2 s) sending to {@code url}. */
    static void define(LocalHostFixture host, String account, String url) {
        define(host, account, "drip", url, 4, 2);
    }

    /**
     * Defines {@code account}'s sequence {@code sequenceId} sending to {@code url}: one step per delay (in seconds,
     * each after the step before it), with ids {@code a}, {@code b}, ...
     */
    static void define(LocalHostFixture host, String account, String sequenceId, String url, int... delays) {
        String steps = IntStream.range(0, delays.length).mapToObj(i -> "{\"id\":\"" + (char) ('a' + i)
                        + "\",\"delay\":{\"amount\":" + delays[i] + ",\"unit\":\"seconds\"},\"message\":{\"text\":\"step "
                        + (char) ('a' + i) + "\"}}")
                .collect(Collectors.joining(","));
        String body = "{\"name\":\"Drip\",\"steps\":[" + steps + "],\"channel\":{\"type\":\"webhook\",\"url\":\""
                + url + "\"}}";
        assertThat(host.call("PUT", "/api/accounts/" + account + "/sequences/" + sequenceId, body).statusCode())
                .isIn(200, 201);
    }

    /** Enrolls subscribers {@code u1} to {@code u20} into {@code account}'s drip, in one batch. */
    static void enroll(LocalHostFixture host, String account) {
        enroll(host, account, "drip", "u");
    }

    /** Enrolls {@link #SUBSCRIBERS} subscribers, {@code prefix1} onwards, into {@code sequenceId}, in one batch. */
    static void enroll(LocalHostFixture host, String account, String sequenceId, String prefix) {
        String entries = IntStream.rangeClosed(1, SUBSCRIBERS)
                .mapToObj(i -> "{\"subscriberId\":\"" + prefix + i + "\"}").collect(Collectors.joining(","));
        var answer = host.call("POST", "/api/accounts/" + account + "/sequences/" + sequenceId + "/subscribers:batch",
                "{\"subscribers\":[" + entries + "]}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    static void showsTheOpenCircuit(LocalHostFixture host, String account, String origin) {
        JsonNode circuit = openCircuit(host, origin);
        assertThat(circuit.path("state").asText()).isIn("open", "half-open");
        assertThat(circuit.path("failureRate").asDouble()).isGreaterThanOrEqualTo(0.5);
        // Every step of A is still there, waiting: deferred, not dropped and not failed.
        List<JsonNode> enrollments = new ArrayList<>();
        await(() -> {
            enrollments.clear();
            enrollments.addAll(enrollments(host, account));
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
    private static List<JsonNode> enrollments(LocalHostFixture host, String account) {
        return IntStream.rangeClosed(1, SUBSCRIBERS).mapToObj(i -> Json.read(host.call("GET",
                "/api/accounts/" + account + "/sequences/drip/subscribers/u" + i, null).body())).toList();
    }

    /** The metrics' entry for {@code origin}'s circuit, or null while it is closed. */
    static JsonNode openCircuit(LocalHostFixture host, String origin) {
        JsonNode metrics = Json.read(host.call("GET", "/api/metrics", null).body());
        for (JsonNode circuit : metrics.path("openCircuits")) {
            if (circuit.path("destination").asText().equals(origin)) {
                return circuit;
            }
        }
        return null;
    }

    /** A URL on 127.0.0.1 where nothing listens: every connection is refused at once. */
    static String refusingUrl() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + probe.getLocalPort() + "/hook";
        }
    }

    /** Accepts connections on 127.0.0.1 and answers none of them: each is held {@code hang}, then closed. */
    static final class HangingReceiver implements AutoCloseable {
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

        /** How many connections it has accepted (and holds, unanswered, until {@code hang} has passed). */
        int accepted() {
            return held.size();
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
