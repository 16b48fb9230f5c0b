package io.sequencer.bench;

import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.models.QueueErrorCode;
import com.azure.storage.queue.models.QueueStorageException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azure's per-queue scalability target (about 2,000 messages/s per queue, over it 503 ServerBusy), scaled down, in
 * front of the bench Azurite's queue endpoint, which has no such limit: an HTTP proxy on 127.0.0.1 that forwards
 * each request unchanged (SharedKey signatures do not cover the Host header) and relays the answer, unless the
 * request's queue is over its budget of message operations per second; then it answers as Azure does, 503 with
 * {@code x-ms-error-code: ServerBusy}, without forwarding.
 *
 * <p>The budget is a token bucket per queue, refilled at {@code operationsPerSecond} and holding at most one second
 * of it, so a burst may use a second's worth at once, never more. A put, a delete and any other request on a queue
 * cost 1; a get costs the messages it returned, at least 1 (it is let through with one token left and charged the
 * rest after the answer, so a queue may run briefly into debt, as a second's window would). Requests on the
 * account (listing queues) are not counted.
 */
final class QueueTargetProxy implements AutoCloseable {
    /**
     * Counts of one queue since the proxy started: operations admitted (charged as above; a request admitted and then
     * failed on its way to the emulator counts too, and is reported apart) and 503s answered.
     */
    record Counts(long operations, long refused) {
        Counts minus(Counts earlier) {
            return new Counts(operations - earlier.operations, refused - earlier.refused);
        }

        Counts plus(Counts other) {
            return new Counts(operations + other.operations, refused + other.refused);
        }
    }

    /**
     * Headers the JDK's client sets itself (or refuses), and hop-by-hop ones; the rest are forwarded unchanged, the
     * Date header too (the SDK signs it when it sends no x-ms-date).
     */
    private static final Set<String> OWN_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive");
    private static final Pattern RECEIVED_MESSAGE = Pattern.compile("<QueueMessage>");

    private final int upstreamPort;
    private final double operationsPerSecond;
    private final LongSupplier nanoClock;
    private final HttpServer server;
    private final ExecutorService workers;
    private final HttpClient upstream;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong upstreamFailures = new AtomicLong();

    private QueueTargetProxy(int upstreamPort, double operationsPerSecond, LongSupplier nanoClock) throws IOException {
        this.upstreamPort = upstreamPort;
        this.operationsPerSecond = operationsPerSecond;
        this.nanoClock = nanoClock;
        this.upstream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "queue-target-proxy");
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 256);
        server.createContext("/", this::handle);
        server.setExecutor(workers);
        server.start();
    }

    /** A proxy to Azurite's queue endpoint on {@code upstreamPort}, with {@code operationsPerSecond} per queue. */
    static QueueTargetProxy start(int upstreamPort, int operationsPerSecond) throws IOException {
        return new QueueTargetProxy(upstreamPort, operationsPerSecond, System::nanoTime);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Per queue name, in name order. */
    Map<String, Counts> counts() {
        Map<String, Counts> out = new TreeMap<>();
        buckets.forEach((queue, bucket) -> out.put(queue, bucket.counts()));
        return out;
    }

    /** Requests that could not be forwarded (answered 500, which the SDK retries); 0 in a sound run. */
    long upstreamFailures() {
        return upstreamFailures.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            String[] segments = path.split("/");
            // /<account>/<queue>[/messages[/<id>]]
            Bucket bucket = segments.length >= 3 && !segments[2].isEmpty()
                    ? buckets.computeIfAbsent(segments[2], q -> new Bucket(operationsPerSecond, nanoClock)) : null;
            boolean receive = exchange.getRequestMethod().equals("GET") && segments.length == 4
                    && segments[3].equals("messages");
            if (bucket != null && !bucket.take()) {
                refuse(exchange);
                return;
            }
            HttpResponse<byte[]> answer;
            try {
                answer = upstream.send(forwarded(exchange, body), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                upstreamFailures.incrementAndGet();
                answer(exchange, 500, "InternalError", "the proxy could not reach the emulator: " + e);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (bucket != null && receive && answer.statusCode() == 200) {
                bucket.charge(count(answer.body()) - 1);
            }
            relay(exchange, answer);
        }
    }

    private HttpRequest forwarded(HttpExchange exchange, byte[] body) {
        URI uri = exchange.getRequestURI();
        String target = "http://127.0.0.1:" + upstreamPort + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(30))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!OWN_HEADERS.contains(name.toLowerCase())) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return request.build();
    }

    private static void relay(HttpExchange exchange, HttpResponse<byte[]> answer) throws IOException {
        answer.headers().map().forEach((name, values) -> {
            if (!OWN_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        send(exchange, answer.statusCode(), answer.body());
    }

    /** Azure's answer over a partition's target: the SDK's retry policy treats it as retryable. */
    private static void refuse(HttpExchange exchange) throws IOException {
        answer(exchange, 503, "ServerBusy", "The server is busy.");
    }

    private static void answer(HttpExchange exchange, int status, String code, String message) throws IOException {
        String requestId = UUID.randomUUID().toString();
        String xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "\nRequestId:" + requestId + "\nTime:" + Instant.now() + "</Message></Error>";
        exchange.getResponseHeaders().set("Content-Type", "application/xml");
        exchange.getResponseHeaders().set("x-ms-error-code", code);
        exchange.getResponseHeaders().set("x-ms-request-id", requestId);
        String version = exchange.getRequestHeaders().getFirst("x-ms-version");
        if (version != null) {
            exchange.getResponseHeaders().set("x-ms-version", version);
        }
        send(exchange, status, xml.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        boolean empty = body.length == 0 || exchange.getRequestMethod().equals("HEAD") || status == 204 || status == 304;
        exchange.sendResponseHeaders(status, empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The messages in a Get Messages answer, at least 1: an empty answer is an operation too. */
    static int count(byte[] answer) {
        Matcher m = RECEIVED_MESSAGE.matcher(new String(answer, StandardCharsets.UTF_8));
        int n = 0;
        while (m.find()) {
            n++;
        }
        return Math.max(1, n);
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    /** One queue's token bucket and counts. */
    private static final class Bucket {
        private final double perSecond;
        private final LongSupplier nanoClock;
        private double tokens;
        private long refilledAt;
        private long operations;
        private long refused;

        Bucket(double perSecond, LongSupplier nanoClock) {
            this.perSecond = perSecond;
            this.nanoClock = nanoClock;
            this.tokens = perSecond;
            this.refilledAt = nanoClock.getAsLong();
        }

        /** One operation if the bucket holds a token; false (and a refusal counted) when it does not. */
        synchronized boolean take() {
            long now = nanoClock.getAsLong();
            tokens = Math.min(perSecond, tokens + (now - refilledAt) / 1e9 * perSecond);
            refilledAt = now;
            if (tokens < 1) {
                refused++;
                return false;
            }
            tokens -= 1;
            operations++;
            return true;
        }

        synchronized void charge(int more) {
            tokens -= more;
            operations += more;
        }

        synchronized Counts counts() {
            return new Counts(operations, refused);
        }
    }

    /**
     * Checks the counting and the refusal against the bench's Azurite, on a clock that stands still (so nothing
     * refills), through the SDK with its retries off: a budget of 6 takes the queue's creation and three puts (4),
     * a get of the three messages (3, leaving -1), then refuses a put with 503 ServerBusy. Throws when any of it
     * differs: the shard comparison's figures would mean nothing then.
     */
    static void selfCheck(BenchAzurite azurite) throws IOException {
        String queueName = "proxy-check-" + UUID.randomUUID().toString().substring(0, 8);
        try (QueueTargetProxy proxy = new QueueTargetProxy(azurite.queuePort(), 6, () -> 0L)) {
            QueueClient queue = new QueueClientBuilder().connectionString(azurite.connectionString(proxy.port()))
                    .queueName(queueName).retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, 10, 1L, 1L, null))
                    .buildClient();
            queue.create();
            for (int i = 0; i < 3; i++) {
                queue.sendMessage("check " + i);
            }
            int received = queue.receiveMessages(32).stream().toList().size();
            expect(received == 3, "received " + received + " of 3 messages through the proxy");
            expect(proxy.counts().get(queueName).equals(new Counts(7, 0)),
                    "counted " + proxy.counts().get(queueName) + ", not 7 operations (create, 3 puts, a get of 3)");
            try {
                queue.sendMessage("over the budget");
                throw new IllegalStateException("queue target proxy self-check: a put over the budget was forwarded");
            } catch (QueueStorageException busy) {
                expect(busy.getStatusCode() == 503 && QueueErrorCode.SERVER_BUSY.equals(busy.getErrorCode()),
                        "a put over the budget got " + busy.getStatusCode() + " " + busy.getErrorCode()
                                + ", not 503 ServerBusy");
            }
            expect(proxy.counts().get(queueName).equals(new Counts(7, 1)),
                    "counted " + proxy.counts().get(queueName) + " after the refusal, not 7 operations and 1 refusal");
            expect(proxy.upstreamFailures() == 0, proxy.upstreamFailures() + " requests failed to reach the emulator");
        } finally {
            azurite.clients().rawQueue(queueName).deleteIfExists();
        }
    }

    private static void expect(boolean holds, String otherwise) {
        if (!holds) {
            throw new IllegalStateException("queue target proxy self-check: " + otherwise);
        }
    }
}
