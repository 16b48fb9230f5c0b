package io.sequencer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.local.ReceiverConnections;
import io.sequencer.local.SocketHttpServer;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A light webhook receiver for the benchmarks: answers 200 at once and records, per sequence, each delivery's
 * due time and arrival time (no signature check; the benchmark sequences are unsigned). It answers HTTP/1.0 and
 * closes each connection without saying so, as Python's http.server and many small receivers do: the figures
 * include what such a receiver costs the sender (a new connection per send).
 */
final class DeliverySink implements AutoCloseable {

    /** One delivery as it arrived. Times are epoch milliseconds of this JVM's clock, the engine's clock too. */
    record Arrival(String deliveryId, String subscriberId, String stepId, long dueAtMillis, long receivedAtMillis,
                   int attempt) {
        long latenessMillis() {
            return receivedAtMillis - dueAtMillis;
        }
    }

    static final ReceiverConnections CONNECTIONS = new ReceiverConnections.Http10ClosesSilently();

    private final SocketHttpServer server;
    private final Map<String, ConcurrentLinkedQueue<Arrival>> bySequence = new ConcurrentHashMap<>();
    /** Counted apart: a queue's size() walks it, and the harness polls counts every 20 ms. */
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    DeliverySink() throws IOException {
        server = new SocketHttpServer(CONNECTIONS, request -> {
            long received = System.currentTimeMillis();
            JsonNode payload = Json.read(request.bodyText());
            Arrival arrival = new Arrival(payload.path("deliveryId").asText(), payload.path("subscriberId").asText(),
                    payload.path("stepId").asText(), Instant.parse(payload.path("dueAt").asText()).toEpochMilli(), received,
                    payload.path("attempt").asInt());
            String sequenceId = payload.path("sequenceId").asText();
            bySequence.computeIfAbsent(sequenceId, s -> new ConcurrentLinkedQueue<>()).add(arrival);
            counts.computeIfAbsent(sequenceId, s -> new AtomicInteger()).incrementAndGet();
            return 200;
        });
    }

    String url() {
        return "http://127.0.0.1:" + server.port() + "/hook";
    }

    int count(String sequenceId) {
        AtomicInteger count = counts.get(sequenceId);
        return count == null ? 0 : count.get();
    }

    /** Deliveries of every sequence whose id starts with {@code prefix}. */
    List<Arrival> arrivals(String prefix) {
        return bySequence.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .flatMap(e -> e.getValue().stream()).toList();
    }

    int countWithPrefix(String prefix) {
        return counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    /** Waits until {@code expected} deliveries for sequences starting with {@code prefix} arrived; false on timeout. */
    boolean await(String prefix, int expected, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (countWithPrefix(prefix) < expected) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Override
    public void close() {
        server.close();
    }
}
