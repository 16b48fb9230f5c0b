package io.sequencer.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sequencer.adapters.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The managed-identity token endpoint of App Service and Functions ({@code IDENTITY_ENDPOINT} with the secret
 * {@code IDENTITY_HEADER}, api-version 2019-08-01), for a local run whose storage connection is identity-based:
 * azure-identity's {@code ManagedIdentityCredential} asks it for tokens exactly as it asks the platform's.
 *
 * <p>It holds one user-assigned identity ({@link #CLIENT_ID_SETTING}) and, as the platform does, refuses a token
 * for any other client id, so a wrong {@code __clientId} fails here as it fails on Azure. The tokens are unsigned
 * JWTs with the claims Azurite's {@code --oauth basic} checks (issuer, audience, lifetime); Azurite does not check
 * signatures, and nothing else accepts these tokens.
 */
public final class LocalIdentityEndpoint implements AutoCloseable {
    /** The client id of the identity this endpoint holds; setting it (locally only) makes the local host serve it. */
    public static final String CLIENT_ID_SETTING = "SEQUENCER_LOCAL_IDENTITY_CLIENT_ID";
    /** Where azure-identity (msal4j) finds the endpoint and its secret: environment variables only. */
    public static final String ENDPOINT_VARIABLE = "IDENTITY_ENDPOINT";
    public static final String SECRET_VARIABLE = "IDENTITY_HEADER";
    private static final String SECRET_HEADER = "X-IDENTITY-HEADER";
    private static final String API_VERSION = "2019-08-01";
    /** A tenant id of no tenant: Azurite checks only the issuer's host. */
    private static final String ISSUER = "https://sts.windows.net/00000000-0000-0000-0000-000000000000/";
    private static final Duration LIFETIME = Duration.ofHours(1);
    /** What App Service answers for a client id the app has no identity of. */
    static final String UNKNOWN_CLIENT_ID = "No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.";
    private static final Logger LOG = Logger.getLogger(LocalIdentityEndpoint.class.getName());

    private final HttpServer server;
    private final String secret;
    private final String clientId;
    private final Clock clock;
    private final AtomicInteger issued = new AtomicInteger();

    private LocalIdentityEndpoint(URI endpoint, String secret, String clientId, Clock clock) throws IOException {
        if (!"http".equals(endpoint.getScheme()) || !InetAddress.getByName(endpoint.getHost()).isLoopbackAddress()
                || endpoint.getPort() < 0) {
            throw new IllegalStateException(ENDPOINT_VARIABLE + " must be http://127.0.0.1:<port>/<path> for the local"
                    + " identity endpoint, was " + endpoint);
        }
        this.secret = secret;
        this.clientId = clientId;
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), endpoint.getPort()), 16);
        server.createContext(endpoint.getPath().isEmpty() ? "/" : endpoint.getPath(), this::handle);
    }

    /**
     * Serves the endpoint that {@code environment}'s {@value #ENDPOINT_VARIABLE} names, holding the identity
     * {@code clientId}. @throws IllegalStateException when the environment does not name a local endpoint
     */
    public static LocalIdentityEndpoint start(Function<String, String> environment, String clientId) {
        String endpoint = environment.apply(ENDPOINT_VARIABLE);
        String secret = environment.apply(SECRET_VARIABLE);
        if (endpoint == null || endpoint.isBlank() || secret == null || secret.isBlank()) {
            throw new IllegalStateException(CLIENT_ID_SETTING + " is set, so the environment needs " + ENDPOINT_VARIABLE
                    + " (http://127.0.0.1:<port>/msi/token) and " + SECRET_VARIABLE + " for azure-identity to find it");
        }
        try {
            LocalIdentityEndpoint served = new LocalIdentityEndpoint(URI.create(endpoint.trim()), secret, clientId,
                    Clock.systemUTC());
            served.server.start();
            return served;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the local identity endpoint at " + endpoint, e);
        }
    }

    /** Tokens issued so far. */
    public int issued() {
        return issued.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String given = exchange.getRequestHeaders().getFirst(SECRET_HEADER);
            if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                    secret.getBytes(StandardCharsets.UTF_8))) {
                answer(exchange, 401, error("the " + SECRET_HEADER + " header is missing or wrong"));
                return;
            }
            if (!exchange.getRequestMethod().equals("GET") || !API_VERSION.equals(query.get("api-version"))
                    || query.get("resource") == null) {
                answer(exchange, 400, error("expected GET with api-version=" + API_VERSION + " and a resource"));
                return;
            }
            String asked = query.get("client_id");
            if (asked != null && !asked.equalsIgnoreCase(clientId)) {
                LOG.warning("refused a token for client id " + asked + ": the local identity is " + clientId);
                answer(exchange, 400, error(UNKNOWN_CLIENT_ID));
                return;
            }
            String resource = query.get("resource");
            Instant now = clock.instant();
            Instant expires = now.plus(LIFETIME);
            ObjectNode body = Json.MAPPER.createObjectNode()
                    .put("access_token", token(resource, now, expires))
                    .put("expires_on", Long.toString(expires.getEpochSecond()))
                    .put("resource", resource)
                    .put("token_type", "Bearer")
                    .put("client_id", clientId);
            issued.incrementAndGet();
            LOG.info("issued a token for " + resource + " to the local identity " + clientId);
            answer(exchange, 200, body);
        }
    }

    /** An unsigned JWT with the claims Azurite's basic OAuth checks, and the identity's ids. */
    private String token(String resource, Instant now, Instant expires) {
        ObjectNode claims = Json.MAPPER.createObjectNode()
                .put("aud", resource)
                .put("iss", ISSUER)
                .put("iat", now.getEpochSecond())
                .put("nbf", now.getEpochSecond())
                .put("exp", expires.getEpochSecond())
                .put("appid", clientId)
                .put("oid", UUID.nameUUIDFromBytes(clientId.getBytes(StandardCharsets.UTF_8)).toString())
                .put("sub", clientId);
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return url.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8)) + ".";
    }

    private static ObjectNode error(String message) {
        return Json.MAPPER.createObjectNode().put("error", "invalid_request").put("error_description", message)
                .put("message", message);
    }

    private static void answer(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
