package io.sequencer.local;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sequencer.adapters.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves the app's HTTP-triggered functions on 127.0.0.1 as the Functions host does: {@code /<routePrefix>/<route>},
 * methods from function.json, and function keys ({@code x-functions-key} header or {@code code} query
 * parameter) for every function whose auth level is not anonymous, when a key is configured.
 */
final class HttpGateway implements AutoCloseable {
    /** The real host accepts far larger bodies (100 MB); the functions enforce their own, smaller limit. */
    static final int MAX_BODY = 16 * 1024 * 1024;
    /** How much of an oversized body is read past the limit before the connection is given up. */
    static final long MAX_DRAIN = 256L * 1024 * 1024;
    /**
     * How long a caller waits for an HTTP function's answer: Azure's load balancer closes an idle request after
     * 230 s, whatever functionTimeout says (see "Function app timeout duration" in the Functions docs).
     */
    static final Duration RESPONSE_LIMIT = Duration.ofSeconds(230);
    private static final Logger LOG = Logger.getLogger(HttpGateway.class.getName());

    private record Route(StagedApp.FunctionDefinition function, StagedApp.HttpTrigger trigger, RouteTemplate template,
                         FunctionInvoker invoker) {}

    private final HttpServer server;
    private final ExecutorService workers;
    private final String prefix;
    private final List<Route> routes = new ArrayList<>();
    private final String functionKey;
    private final Duration responseLimit;

    HttpGateway(StagedApp app, ClassLoader loader, int port, String functionKey) throws IOException {
        this(app, loader, port, functionKey, RESPONSE_LIMIT);
    }

    HttpGateway(StagedApp app, ClassLoader loader, int port, String functionKey, Duration responseLimit)
            throws IOException {
        this.responseLimit = responseLimit;
        this.prefix = app.routePrefix().isEmpty() ? "" : "/" + app.routePrefix();
        this.functionKey = functionKey == null || functionKey.isEmpty() ? null : functionKey;
        for (StagedApp.FunctionDefinition f : app.functions()) {
            if (f.trigger() instanceof StagedApp.HttpTrigger t) {
                routes.add(new Route(f, t, RouteTemplate.parse(t.route()), new FunctionInvoker(f, loader, app.functionTimeout())));
            }
        }
        routes.sort(Comparator.comparingInt((Route r) -> r.template().specificity()).reversed());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        workers = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "local-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/", this::serve);
    }

    void start() {
        server.start();
    }

    /** Serves {@code handler} under {@code path}, beside the app's routes and without the function key. */
    void serveLocally(String path, com.sun.net.httpserver.HttpHandler handler) {
        server.createContext(path, handler);
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            serveChecked(exchange);
        } catch (IllegalArgumentException malformed) {
            // A malformed percent-escape in the path or query: the host rejects it before any function runs.
            send(exchange, 400, null, new byte[0]);
        }
    }

    private void serveChecked(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        String rawPath = uri.getRawPath();
        if (!prefix.isEmpty() && !rawPath.equals(prefix) && !rawPath.startsWith(prefix + "/")) {
            send(exchange, 404, null, new byte[0]);
            return;
        }
        String below = rawPath.substring(prefix.length());
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        Route route = null;
        Map<String, String> params = null;
        for (Route candidate : routes) {
            if (!candidate.trigger().methods().isEmpty() && !candidate.trigger().methods().contains(method)) {
                continue;
            }
            Optional<Map<String, String>> match = candidate.template().match(below);
            if (match.isPresent()) {
                route = candidate;
                params = match.get();
                break;
            }
        }
        if (route == null) {
            send(exchange, 404, null, new byte[0]);
            return;
        }
        Map<String, String> query = query(uri.getRawQuery());
        Map<String, String> headers = headers(exchange);
        if (route.trigger().needsKey() && functionKey != null && !keyMatches(headers, query)) {
            send(exchange, 401, null, new byte[0]);
            return;
        }
        byte[] body = readBody(exchange.getRequestBody());
        if (body == null) {
            send(exchange, 413, null, new byte[0]);
            return;
        }
        String url = "http://127.0.0.1:" + port() + uri;
        LocalHttpRequest request = new LocalHttpRequest(URI.create(url), HttpMethod.value(method), headers, query,
                body.length == 0 || !hasContentLength(headers) ? Optional.empty()
                        : Optional.of(new String(body, StandardCharsets.UTF_8)));
        Object result;
        try {
            result = route.invoker().invokeWithin(request, params, responseLimit);
        } catch (FunctionInvoker.FunctionTimeout timeout) {
            LOG.warning("function " + route.function().name() + ": " + timeout.getMessage() + ": 500");
            send(exchange, 500, null, new byte[0]);
            return;
        } catch (FunctionInvoker.NoAnswerYet late) {
            // Azure's load balancer gives up on an HTTP function after 230 s and answers 502; the function runs on
            // until its functionTimeout, and its answer is not heard.
            LOG.warning("function " + route.function().name() + " did not answer within " + responseLimit + ": 502");
            send(exchange, 502, null, new byte[0]);
            return;
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "function " + route.function().name() + " threw", e);
            send(exchange, 500, null, new byte[0]);
            return;
        }
        respond(exchange, (HttpResponseMessage) result);
    }

    private boolean keyMatches(Map<String, String> headers, Map<String, String> query) {
        String given = headers.getOrDefault("x-functions-key", query.get("code"));
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                functionKey.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, HttpResponseMessage response) throws IOException {
        Object body = response.getBody();
        byte[] bytes;
        String contentType = response.getHeader("Content-Type");
        if (body == null) {
            bytes = new byte[0];
        } else if (body instanceof byte[] raw) {
            bytes = raw;
        } else if (body instanceof String text) {
            bytes = text.getBytes(StandardCharsets.UTF_8);
        } else {
            bytes = Json.MAPPER.writeValueAsBytes(body);
            contentType = contentType == null ? "application/json; charset=utf-8" : contentType;
        }
        if (response instanceof LocalHttpResponse local) {
            local.headers().forEach((k, v) -> {
                if (!k.equalsIgnoreCase("Content-Type") && !k.equalsIgnoreCase("Content-Length")) {
                    exchange.getResponseHeaders().add(k, v);
                }
            });
        }
        send(exchange, response.getStatusCode(), contentType, bytes);
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        // A request refused before its body was read (no route, no key) may still be sending it: read and drop the
        // rest, as for a 413, or the JDK's server drops the connection after this answer without saying so, and the
        // client's next request on it gets no answer at all. After a read body this reads nothing.
        readBody(exchange.getRequestBody());
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        if (body.length == 0) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * Whether the host would pass the body on: it does so only for a request with a {@code Content-Length} above 0
     * ({@code ToRpcHttp} in the host's gRPC conversion), so a chunked body reaches a Java function as no body at all.
     * The body is still read here, so that the connection stays usable.
     */
    static boolean hasContentLength(Map<String, String> headers) {
        String length = headers.get("content-length");
        try {
            return length != null && Long.parseLong(length.trim()) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The body, or null when it is over {@link #MAX_BODY}. The rest of an oversized body is read and dropped
     * (up to {@link #MAX_DRAIN}) so the client, still sending, gets the 413 instead of a reset connection.
     */
    private static byte[] readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        if (bytes.length <= MAX_BODY) {
            return bytes;
        }
        byte[] sink = new byte[64 * 1024];
        long drained = 0;
        for (int n; drained < MAX_DRAIN && (n = in.read(sink)) >= 0; ) {
            drained += n;
        }
        return null;
    }

    /**
     * The request's headers as the host hands them to the Java worker: names lower-cased (a function asking for
     * {@code Content-Type} finds nothing), a repeated header's values joined with commas.
     */
    static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.merge(name.toLowerCase(Locale.ROOT), String.join(",", values), (a, b) -> a + "," + b));
        return headers;
    }

    /**
     * The query parameters as the host hands them to the Java worker: names exactly as sent (case-sensitive), a
     * repeated parameter's values joined with commas, as ASP.NET Core's query collection gives them.
     */
    static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            query.merge(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "", (a, b) -> a + "," + b);
        }
        return query;
    }

    @Override
    public void close() {
        server.stop(1);
        workers.shutdownNow();
    }
}
