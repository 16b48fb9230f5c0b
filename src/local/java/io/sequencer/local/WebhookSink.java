package io.sequencer.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.channel.WebhookSignature;
import io.sequencer.adapters.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A small local receiver for webhook deliveries, as a host server would run one: checks the signature, records
 * each delivery with its arrival time, answers 200. It treats connections as the chosen kind of receiver does
 * (keep-alive unless told otherwise). Used by the demo and the end-to-end tests.
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

        /** The sender's attempt number for this delivery id, 1 for the first. */
        public int attempt() {
            return payload.path("attempt").asInt();
        }
    }

    private final SocketHttpServer server;
    private final String secret;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Received> refused = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failureStatus = 503;
    private volatile Consumer<Received> listener = r -> { };

    public WebhookSink(String secret) throws IOException {
        this(secret, ReceiverConnections.KeepAlive.forever());
    }

    public WebhookSink(String secret, ReceiverConnections connections) throws IOException {
        this.secret = secret;
        server = new SocketHttpServer(connections, request -> {
            if (!request.path().startsWith("/hook")) {
                return 404;
            }
            String body = request.bodyText();
            Boolean valid = secret == null ? null : SignatureCheck.valid(request.header(WebhookSignature.HEADER), secret, body);
            Received r = new Received(Json.read(body), request.header("Idempotency-Key"), valid, Instant.now());
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                refused.add(r);
                return failureStatus;
            }
            received.add(r);
            listener.accept(r);
            return 200;
        });
    }

    public String url() {
        return "http://127.0.0.1:" + server.port() + "/hook";
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
        server.close();
    }
}
