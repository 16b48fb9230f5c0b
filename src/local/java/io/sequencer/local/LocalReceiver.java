package io.sequencer.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.sequencer.adapters.channel.WebhookSignature;
import io.sequencer.adapters.json.Json;
import io.sequencer.adapters.report.Html;
import io.sequencer.domain.account.AppSettingPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A webhook receiver the local host serves beside the app, so a newcomer sees deliveries without writing one:
 * {@code POST /local/receiver/<name>} records a delivery (checking its signature against the secrets its account
 * may name), {@code GET /local/receiver/<name>} lists what that receiver got as JSON, newest first, and
 * {@code GET /local/receiver} shows every receiver's deliveries on a small HTML page. Only the local host serves it,
 * on 127.0.0.1, never the deployed app.
 */
final class LocalReceiver implements HttpHandler {
    static final String PATH = "/local/receiver";
    /** Deliveries kept per receiver, the oldest dropped first: enough to look at, bounded however long it runs. */
    static final int KEPT = 200;
    private static final int MAX_BODY = 1024 * 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** One delivery as received: how its signature checked out and, when valid, with which setting's secret. */
    record Delivery(Instant receivedAt, Signature signature, Optional<String> verifiedWith, JsonNode payload) {}

    /** {@code UNCHECKED}: signed, but the account names no secret this host holds (e.g. one in its secret store). */
    enum Signature { VALID, INVALID, UNSIGNED, UNCHECKED }

    /** A secret a sender may sign with, by the name of the setting that holds it. */
    record NamedSecret(String setting, String secret) {}

    private final Function<String, List<NamedSecret>> secretsOfAccount;
    private final Map<String, Deque<Delivery>> byReceiver = new TreeMap<>();

    /**
     * A receiver that checks signatures against the app settings an account may name: those under its prefix
     * ({@code SEQ_ACME__HOOK_SECRET} for account {@code acme} under the template {@code SEQ_{ACCOUNT}__}).
     */
    static LocalReceiver forSettings(Map<String, String> settings) {
        AppSettingPolicy policy = AppSettingPolicy.fromSettings(settings::get);
        return new LocalReceiver(account -> account.isBlank() ? List.of() : policy.prefixFor(account).map(prefix -> settings.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix) && e.getValue() != null && !e.getValue().isBlank())
                .map(e -> new NamedSecret(e.getKey(), e.getValue())).toList()).orElse(List.of()));
    }

    /** {@code secretsOfAccount} gives the secrets a delivery of that account (its {@code account} field) may carry. */
    LocalReceiver(Function<String, List<NamedSecret>> secretsOfAccount) {
        this.secretsOfAccount = secretsOfAccount;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String below = exchange.getRequestURI().getPath().substring(PATH.length());
            String method = exchange.getRequestMethod();
            if (below.isEmpty() || below.equals("/")) {
                if (method.equals("GET")) {
                    send(exchange, 200, "text/html; charset=utf-8", page());
                } else {
                    send(exchange, 405, null, "");
                }
                return;
            }
            String name = below.substring(1);
            if (!NAME.matcher(name).matches()) {
                send(exchange, 404, null, "");
                return;
            }
            switch (method) {
                case "POST" -> {
                    byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
                    if (body.length > MAX_BODY) {
                        send(exchange, 413, null, "");
                        return;
                    }
                    record(name, new String(body, StandardCharsets.UTF_8),
                            exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER));
                    send(exchange, 200, "application/json", "{}");
                }
                case "GET" -> send(exchange, 200, "application/json", Json.write(list(name)));
                default -> send(exchange, 405, null, "");
            }
        }
    }

    private void record(String name, String body, String signatureHeader) {
        JsonNode payload;
        try {
            payload = Json.read(body);
        } catch (RuntimeException notJson) {
            payload = Json.MAPPER.getNodeFactory().textNode(body);
        }
        Signature signature = Signature.UNSIGNED;
        Optional<String> verifiedWith = Optional.empty();
        if (signatureHeader != null) {
            List<NamedSecret> candidates = secretsOfAccount.apply(accountOf(payload));
            signature = candidates.isEmpty() ? Signature.UNCHECKED : Signature.INVALID;
            for (NamedSecret candidate : candidates) {
                if (SignatureCheck.valid(signatureHeader, candidate.secret(), body)) {
                    signature = Signature.VALID;
                    verifiedWith = Optional.of(candidate.setting());
                    break;
                }
            }
        }
        Delivery delivery = new Delivery(Instant.now(), signature, verifiedWith, payload);
        synchronized (byReceiver) {
            Deque<Delivery> kept = byReceiver.computeIfAbsent(name, n -> new ArrayDeque<>());
            kept.addFirst(delivery);
            if (kept.size() > KEPT) {
                kept.removeLast();
            }
        }
    }

    /** The account a delivery is from: a step's or a broadcast's object names it, a notification batch's events do. */
    private static String accountOf(JsonNode payload) {
        return (payload.isArray() ? payload.path(0) : payload).path("account").asText();
    }

    /** What receiver {@code name} got, newest first. */
    List<Delivery> received(String name) {
        synchronized (byReceiver) {
            return List.copyOf(byReceiver.getOrDefault(name, new ArrayDeque<>()));
        }
    }

    private ObjectNode list(String name) {
        ObjectNode out = Json.object();
        out.put("receiver", name);
        ArrayNode received = out.putArray("received");
        for (Delivery d : received(name)) {
            ObjectNode entry = received.addObject();
            entry.put("receivedAt", d.receivedAt().toString());
            entry.put("signature", d.signature().name().toLowerCase(java.util.Locale.ROOT));
            d.verifiedWith().ifPresent(setting -> entry.put("verifiedWith", setting));
            entry.set("payload", d.payload());
        }
        return out;
    }

    private String page() {
        Map<String, List<Delivery>> all = new TreeMap<>();
        synchronized (byReceiver) {
            byReceiver.forEach((name, kept) -> all.put(name, new ArrayList<>(kept)));
        }
        StringBuilder html = new StringBuilder("""
                <!doctype html><html><head><meta charset="utf-8"><title>Local receiver</title>
                <style>body{font-family:sans-serif;margin:2em}td,th{border-bottom:1px solid #ddd;padding:4px 8px;
                text-align:left;vertical-align:top}pre{margin:0;white-space:pre-wrap}</style></head><body>
                <h1>Local receiver</h1>
                """);
        if (all.isEmpty()) {
            html.append("<p>Nothing received yet. Point a webhook at http://127.0.0.1:&lt;port&gt;")
                    .append(PATH).append("/&lt;name&gt;.</p>");
        }
        all.forEach((name, deliveries) -> {
            html.append("<h2>").append(Html.text(name)).append(" <a href=\"").append(PATH).append('/')
                    .append(Html.text(name)).append("\">JSON</a></h2><table><tr><th>Received</th><th>Signature</th>")
                    .append("<th>Payload</th></tr>");
            for (Delivery d : deliveries) {
                html.append("<tr><td>").append(d.receivedAt()).append("</td><td>")
                        .append(d.signature().name().toLowerCase(java.util.Locale.ROOT))
                        .append(Html.text(d.verifiedWith().map(s -> " (" + s + ")").orElse("")))
                        .append("</td><td><pre>").append(Html.text(d.payload().toPrettyString())).append("</pre></td></tr>");
            }
            html.append("</table>");
        });
        return html.append("</body></html>\n").toString();
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
