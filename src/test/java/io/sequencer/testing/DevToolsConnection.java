package io.sequencer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.Json;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * One Chrome DevTools Protocol connection to a browser: commands answered by id, and events queued in arrival order
 * for the caller to take. Every wait is bounded; a closed or failed socket fails every waiting call at once.
 */
final class DevToolsConnection implements AutoCloseable {
    /** Queued when the socket breaks, to wake a reader waiting for events. */
    private static final JsonNode BROKEN = Json.object();

    private final OkHttpClient client;
    private final Map<Long, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final AtomicLong lastId = new AtomicLong();
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private volatile Throwable broken;
    private WebSocket socket;

    private DevToolsConnection(Duration timeout) {
        client = new OkHttpClient.Builder()
                .connectTimeout(timeout)
                .readTimeout(Duration.ZERO) // events may pause for long; every wait has its own deadline instead
                .build();
    }

    static DevToolsConnection open(URI webSocketUrl, Duration timeout) {
        DevToolsConnection connection = new DevToolsConnection(timeout);
        connection.socket = connection.client.newWebSocket(new Request.Builder().url(webSocketUrl.toString()).build(),
                connection.new Listener());
        try {
            connection.opened.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return connection;
        } catch (ExecutionException | TimeoutException e) {
            connection.close();
            throw new IllegalStateException("cannot open the DevTools WebSocket " + webSocketUrl, e);
        } catch (InterruptedException e) {
            connection.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening the DevTools WebSocket", e);
        }
    }

    /** Sends {@code method} to the browser ({@code sessionId} null) or to an attached target, and waits for its result. */
    JsonNode call(String sessionId, String method, ObjectNode params, Duration timeout) {
        long id = lastId.incrementAndGet();
        ObjectNode message = Json.object().put("id", id).put("method", method);
        message.set("params", params == null ? Json.object() : params);
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        answers.put(id, answer);
        try {
            failIfBroken(method);
            if (!socket.send(Json.write(message))) {
                throw new IllegalStateException("DevTools WebSocket is closing; cannot send " + method);
            }
            JsonNode reply = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (reply.has("error")) {
                throw new CommandFailed(method, reply.get("error"));
            }
            return reply.path("result");
        } catch (TimeoutException e) {
            throw new IllegalStateException(method + " had no answer within " + timeout, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(method + " failed: the DevTools connection broke", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + method, e);
        } finally {
            answers.remove(id);
        }
    }

    /** The next event (any target), or empty when none came before {@code deadline}. */
    Optional<JsonNode> nextEvent(Instant deadline) {
        failIfBroken("waiting for events");
        long waitMillis = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
        try {
            JsonNode event = events.poll(waitMillis, TimeUnit.MILLISECONDS);
            if (event == BROKEN) {
                failIfBroken("waiting for events");
            }
            return Optional.ofNullable(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for DevTools events", e);
        }
    }

    private void failIfBroken(String doing) {
        if (broken != null) {
            throw new IllegalStateException("DevTools connection broke before " + doing, broken);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.cancel();
        }
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    private void breakWith(Throwable cause) {
        broken = cause;
        opened.completeExceptionally(cause);
        answers.values().forEach(answer -> answer.completeExceptionally(cause));
        events.add(BROKEN);
    }

    /** The browser answered a command with an error (the connection itself is fine). */
    static final class CommandFailed extends IllegalStateException {
        CommandFailed(String method, JsonNode error) {
            super(method + " failed: " + error);
        }
    }

    private final class Listener extends WebSocketListener {
        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            opened.complete(null);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            JsonNode message = Json.read(text);
            if (message.has("id")) {
                CompletableFuture<JsonNode> answer = answers.get(message.get("id").asLong());
                if (answer != null) {
                    answer.complete(message);
                }
            } else {
                events.add(message);
            }
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            breakWith(new IOException("DevTools WebSocket closed by the browser: " + code + " " + reason));
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            breakWith(t);
        }
    }
}
