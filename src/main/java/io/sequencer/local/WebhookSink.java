package io.sequencer.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.sequencer.adapters.channel.WebhookSignature;
import io.sequencer.adapters.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A small local receiver for webhook deliveries, as a host server would run one: checks the signature, records
 * each delivery with its arrival time, answers 200. Used by the demo and the end-to-end tests.
 */
public final class WebhookSink implements AutoCloseable {

    /** One received delivery. {@code signatureValid} is null when no secret was configured. */
    public record Received(JsonNode payload, String idempotencyKey, Boolean signatureValid, Instant receivedAt) {
        public String deliveryId() {
            return payload.path("deliveryId").asText();
        }

        public String subscriberId() {
            return payload.path("subscriberId").asText();
        }

        public String stepId() {
            return payload.path("stepId").asText();
        }

        public Instant dueAt() {
            return Instant.parse(payload.path("dueAt").asText());
        }
    }

    private final HttpServer server;
    private final String secret;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Received> refused = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failureStatus = 503;
    private volatile Consumer<Received> listener = r -> { };

    public WebhookSink(String secret) throws IOException {
        this.secret = secret;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/hook", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Boolean valid = secret == null ? null
                        : verify(exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER), body);
                Received r = new Received(Json.read(body), exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                        valid, Instant.now());
                if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    refused.add(r);
                    exchange.sendResponseHeaders(failureStatus, -1);
                    return;
                }
                received.add(r);
                listener.accept(r);
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
    }

    /** Checks {@code t=..,v1=..} against the body the way a receiving host should: any {@code v1} may hold. */
    private boolean verify(String header, String body) {
        if (header == null) {
            return false;
        }
        String t = null;
        List<String> signatures = new java.util.ArrayList<>();
        for (String part : header.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length == 2 && kv[0].equals("t")) {
                t = kv[1];
            } else if (kv.length == 2 && kv[0].equals("v1")) {
                signatures.add(kv[1]);
            }
        }
        if (t == null) {
            return false;
        }
        String expected = WebhookSignature.header(secret, Long.parseLong(t), body);
        String signedAt = t;
        return signatures.stream().anyMatch(v1 -> expected.equals("t=" + signedAt + ",v1=" + v1));
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public void onReceive(Consumer<Received> listener) {
        this.listener = listener;
    }

    /** The next {@code count} requests are answered {@code status} and counted as refused, not received. */
    public void refuseNext(int count, int status) {
        this.failureStatus = status;
        failuresLeft.set(count);
    }

    /** Requests answered with a failure status by {@link #refuseNext}. */
    public List<Received> refused() {
        return List.copyOf(refused);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
