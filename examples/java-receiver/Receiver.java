import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal receiver for Sequencer: step webhooks at POST /hooks/steps, lifecycle notifications at POST
 * /hooks/events. Each request is verified (Standard Webhooks), taken once, answered at once and worked on
 * afterwards. Run with {@code java -cp standardwebhooks-1.1.0.jar Receiver.java}; configure with PORT (0 picks a
 * free one) and WEBHOOK_SECRET (the value of the app setting the channel's secretSetting names).
 *
 * <p>Sequencer's answer classes (docs/CHANNELS.md, "Webhook deliveries"): 2xx is delivered; 408, 429 and 5xx are
 * retried with back-off (Retry-After honoured); any other status is a step failed for good, while lifecycle
 * notifications are kept and sent again whatever the status.
 */
public final class Receiver {
    private static final int MAX_BODY = 1 << 20;
    private static final int SEEN_MAX = 10_000;
    // Without a JSON library: an eventId is evt_ and hex, and inside a JSON string its quotes would be escaped.
    // A real host reads the events with its JSON library.
    private static final Pattern EVENT_ID = Pattern.compile("\"eventId\":\"(evt_[0-9a-f]+)\"");

    private final Webhook webhook;
    /**
     * Ids already taken, oldest first. A real host inserts each id under a unique key of its database, in the
     * transaction that stores the work, so a restart or a second instance does not take it again; this map is
     * bounded and forgets on restart.
     */
    private final Map<String, Boolean> seen = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > SEEN_MAX;
        }
    };
    /**
     * Work runs after the answer: Sequencer waits for it (20 s at most for notifications), and a slow answer only
     * delays its other deliveries. A real host puts the work in a durable queue or table before answering.
     */
    private final BlockingQueue<Runnable> work = new ArrayBlockingQueue<>(1_000);

    private Receiver(Webhook webhook) {
        this.webhook = webhook;
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "3000"));
        String secret = System.getenv("WEBHOOK_SECRET");
        if (secret == null || secret.isEmpty()) {
            System.err.println("WEBHOOK_SECRET is not set");
            System.exit(1);
        }
        // A whsec_ secret goes to the library as it is; any other is keyed with its own bytes (docs/SECURITY.md).
        Receiver receiver = new Receiver(secret.startsWith("whsec_")
                ? new Webhook(secret) : new Webhook(secret.getBytes(StandardCharsets.UTF_8)));
        // Loopback only: put a TLS-terminating proxy in front of it to take deliveries from outside.
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/hooks/steps", exchange -> receiver.receive(exchange, false));
        server.createContext("/hooks/events", exchange -> receiver.receive(exchange, true));
        server.setExecutor(Executors.newFixedThreadPool(4));
        new Thread(receiver::work, "worker").start();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(1)));
        System.out.println("listening on http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void receive(HttpExchange exchange, boolean events) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                answer(exchange, 405, "POST only");
                return;
            }
            byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                answer(exchange, 413, "body over 1 MiB"); // not retried by Sequencer
                return;
            }
            // The signature covers the bytes as sent: verify the raw body, before any JSON parsing.
            String payload = new String(body, StandardCharsets.UTF_8);
            try {
                webhook.verify(payload, exchange.getRequestHeaders());
            } catch (WebhookVerificationException | RuntimeException notVerified) {
                // Not from Sequencer, altered, malformed or older than 5 minutes: never worth a retry.
                answer(exchange, 401, "signature not verified");
                return;
            }
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            if (events) {
                takeEvents(exchange, id, payload);
            } else {
                takeStep(exchange, id, payload);
            }
        }
    }

    /** webhook-id is the step's deliveryId: the same on every retry of the same step. */
    private void takeStep(HttpExchange exchange, String id, String payload) throws IOException {
        if (firstTime(List.of(id)).isEmpty()) {
            System.out.println("duplicate " + id);
            answer(exchange, 200, "");
            return;
        }
        // Your work: read the payload (deliveryId, subscriberId, message) with your JSON library, send the message to
        // the subscriber on your platform, then report "delivered".
        if (!work.offer(() -> System.out.println("worked " + id + " (" + payload.length() + " characters)"))) {
            busy(exchange, List.of(id));
            return;
        }
        System.out.println("accepted " + id + " step");
        answer(exchange, 202, "");
    }

    /** A resend may group events differently (under another webhook-id), so each event is taken once by eventId. */
    private void takeEvents(HttpExchange exchange, String id, String payload) throws IOException {
        Matcher matcher = EVENT_ID.matcher(payload);
        List<String> ids = matcher.results().map(match -> match.group(1)).toList();
        if (!payload.startsWith("[") || ids.isEmpty()) {
            answer(exchange, 400, "expected an array of events");
            return;
        }
        List<String> fresh = firstTime(ids);
        if (fresh.isEmpty()) {
            System.out.println("duplicate " + id);
            answer(exchange, 200, "");
            return;
        }
        // Your work: store each event; order an enrollment's events by their sequence number.
        if (!work.offer(() -> fresh.forEach(eventId -> System.out.println("worked " + eventId)))) {
            busy(exchange, fresh);
            return;
        }
        System.out.println("accepted " + id + " events " + String.join(",", fresh));
        answer(exchange, 202, "");
    }

    /** The ids of {@code ids} not taken before, now taken. */
    private synchronized List<String> firstTime(List<String> ids) {
        return ids.stream().filter(id -> seen.putIfAbsent(id, Boolean.TRUE) == null).toList();
    }

    private void busy(HttpExchange exchange, List<String> ids) throws IOException {
        synchronized (this) {
            ids.forEach(seen::remove); // taken on the retry instead
        }
        exchange.getResponseHeaders().set("Retry-After", "30");
        answer(exchange, 503, "busy, try again");
    }

    private void work() {
        while (true) {
            try {
                work.take().run();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                e.printStackTrace();
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.isEmpty() ? new byte[0] : (text + "\n").getBytes(StandardCharsets.UTF_8);
        if (body.length > 0) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }
}
