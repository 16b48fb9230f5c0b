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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
    private static final Logger LOG = Logger.getLogger(HttpGateway.class.getName());

    private record Route(StagedApp.FunctionDefinition function, StagedApp.HttpTrigger trigger, RouteTemplate template,
                         FunctionInvoker invoker) {}

    private final HttpServer server;
    private final ExecutorService workers;
    private final String prefix;
    private final List<Route> routes = new ArrayList<>();
    private final String functionKey;

    HttpGateway(StagedApp app, ClassLoader loader, int port, String functionKey) throws IOException {
        this.prefix = app.routePrefix().isEmpty() ? "" : "/" + app.routePrefix();
        this.functionKey = functionKey == null || functionKey.isEmpty() ? null : functionKey;
        for (StagedApp.FunctionDefinition f : app.functions()) {
            if (f.trigger() instanceof StagedApp.HttpTrigger t) {
                routes.add(new Route(f, t, RouteTemplate.parse(t.route()), new FunctionInvoker(f, loader)));
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
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
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
                body.length == 0 ? Optional.empty() : Optional.of(new String(body, StandardCharsets.UTF_8)));
        Object result;
        try {
            result = route.invoker().invoke(request, params);
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

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            String[] kv = pair.split("=", 2);
            query.putIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return query;
    }

    @Override
    public void close() {
        server.stop(1);
        workers.shutdownNow();
    }
}
