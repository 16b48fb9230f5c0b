package io.sequencer.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.FieldError;
import io.sequencer.domain.Invalid;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.idempotency.IdempotencyKeyInUse;
import io.sequencer.engine.idempotency.IdempotencyKeyReused;
import io.sequencer.engine.preview.RenderFailed;
import io.sequencer.engine.preview.TooManyTestSends;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;

/** The HTTP edge in one place: body limits, JSON responses, and the one mapping from errors to problem+json. */
final class HttpApi {
    static final int MAX_BODY_BYTES = 256 * 1024;
    static final String PROBLEM_JSON = "application/problem+json";
    static final String VALIDATION_PROBLEM = "urn:sequencer:problem:validation";
    static final String KEY_REUSED_PROBLEM = "urn:sequencer:problem:idempotency-key-reused";
    static final String KEY_IN_USE_PROBLEM = "urn:sequencer:problem:idempotency-key-in-use";
    static final String RENDER_PROBLEM = "urn:sequencer:problem:template-render";
    static final String RATE_PROBLEM = "urn:sequencer:problem:rate-limited";

    private HttpApi() {}

    /** Runs {@code action}; any error becomes a problem response, and an unexpected one is logged, never shown. */
    static HttpResponseMessage handle(HttpRequestMessage<Optional<String>> request, ExecutionContext context,
                                      Supplier<HttpResponseMessage> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            Optional<Problem> problem = problemOf(e);
            if (problem.isPresent()) {
                return respond(request, problem.get().status(), problem.get().body(), problem.get().headers());
            }
            context.getLogger().log(Level.SEVERE, "request " + context.getInvocationId() + " failed", e);
            return respond(request, HttpStatus.INTERNAL_SERVER_ERROR, problem("about:blank", "Internal Server Error", 500,
                    "the request failed unexpectedly; it can be retried (invocation " + context.getInvocationId() + ")"),
                    Map.of());
        }
    }

    /** {@link #handle} for a route of {@code account}: the admin key or one of the account's keys ({@link Access}). */
    static HttpResponseMessage forAccount(HttpRequestMessage<Optional<String>> request, ExecutionContext context,
                                          String account, Supplier<HttpResponseMessage> action) {
        return handle(request, context, () -> {
            FunctionApp.get().access().requireAccount(request, account);
            return action.get();
        });
    }

    /** {@link #handle} for a route only the admin key opens ({@link Access}). */
    static HttpResponseMessage forAdmin(HttpRequestMessage<Optional<String>> request, ExecutionContext context,
                                        Supplier<HttpResponseMessage> action) {
        return handle(request, context, () -> {
            FunctionApp.get().access().requireAdmin(request);
            return action.get();
        });
    }

    /**
     * {@link #forAccount} for a write that honours an {@code Idempotency-Key} header ({@link IdempotentWrites}): the
     * account scopes the key, so one account's key never matches another's. The caller is checked first: an
     * unauthenticated request neither claims nor learns anything about a key.
     */
    static HttpResponseMessage handleWrite(HttpRequestMessage<Optional<String>> request, ExecutionContext context,
                                           String account, Supplier<HttpResponseMessage> action) {
        return forAccount(request, context, account, () -> IdempotentWrites.run(request, context, account, action));
    }

    /** A problem+json body with its status, and any headers it needs (name, value). */
    record Problem(HttpStatus status, ObjectNode body, Map<String, String> headers) {
        Problem(HttpStatus status, ObjectNode body) {
            this(status, body, Map.of());
        }
    }

    /**
     * The problem for an error the caller can act on (bad field, missing thing, conflict, too large); empty for
     * an unexpected one, which is logged and never shown. Batch endpoints use it for each entry.
     */
    static Optional<Problem> problemOf(RuntimeException e) {
        if (e instanceof Invalid invalid) {
            ObjectNode problem = problem(VALIDATION_PROBLEM, "Request has invalid fields", 400, invalid.getMessage());
            problem.put("field", invalid.errors().get(0).field());
            ArrayNode errors = problem.putArray("errors");
            for (FieldError error : invalid.errors()) {
                errors.addObject().put("field", error.field()).put("reason", error.reason());
            }
            return Optional.of(new Problem(HttpStatus.BAD_REQUEST, problem));
        }
        if (e instanceof NotFound) {
            return Optional.of(new Problem(HttpStatus.NOT_FOUND, problem("about:blank", "Not Found", 404, e.getMessage())));
        }
        if (e instanceof Conflict conflict) {
            ObjectNode problem = problem("about:blank", "Conflict", 409, e.getMessage());
            conflict.field().ifPresent(field -> problem.put("field", field));
            return Optional.of(new Problem(HttpStatus.CONFLICT, problem));
        }
        if (e instanceof IdempotencyKeyReused) {
            return Optional.of(new Problem(HttpStatus.CONFLICT, problem(KEY_REUSED_PROBLEM,
                    "Idempotency-Key reused", 409, e.getMessage()).put("field", IdempotencyKeyHeader.NAME)));
        }
        if (e instanceof IdempotencyKeyInUse inUse) {
            String seconds = Long.toString(inUse.retryAfter().toSeconds());
            return Optional.of(new Problem(HttpStatus.CONFLICT, problem(KEY_IN_USE_PROBLEM,
                    "Idempotency-Key in use", 409, e.getMessage()).put("field", IdempotencyKeyHeader.NAME),
                    Map.of("Retry-After", seconds)));
        }
        if (e instanceof RenderFailed failed) {
            return Optional.of(new Problem(HttpStatus.UNPROCESSABLE_ENTITY, problem(RENDER_PROBLEM,
                    "Message cannot be rendered", 422, failed.field() + ": " + e.getMessage())
                    .put("field", failed.field())));
        }
        if (e instanceof TooManyTestSends tooMany) {
            String seconds = Long.toString(Math.max(1, (tooMany.retryAfter().toMillis() + 999) / 1000));
            return Optional.of(new Problem(HttpStatus.TOO_MANY_REQUESTS, problem(RATE_PROBLEM, "Too Many Requests",
                    429, e.getMessage()), Map.of("Retry-After", seconds)));
        }
        if (e instanceof Unauthenticated) {
            return Optional.of(new Problem(HttpStatus.UNAUTHORIZED,
                    problem("about:blank", "Unauthorized", 401, e.getMessage()),
                    Map.of("WWW-Authenticate", "Bearer realm=\"sequencer\"")));
        }
        if (e instanceof Forbidden) {
            return Optional.of(new Problem(HttpStatus.FORBIDDEN, problem("about:blank", "Forbidden", 403, e.getMessage())));
        }
        if (e instanceof NotConfigured) {
            return Optional.of(new Problem(HttpStatus.SERVICE_UNAVAILABLE,
                    problem("about:blank", "Service Unavailable", 503, e.getMessage())));
        }
        if (e instanceof PayloadTooLarge) {
            return Optional.of(new Problem(HttpStatus.PAYLOAD_TOO_LARGE,
                    problem("about:blank", "Content Too Large", 413, e.getMessage())));
        }
        return Optional.empty();
    }

    /** The request body, checked against the size limit; empty when none was sent. */
    static Optional<String> body(HttpRequestMessage<Optional<String>> request) {
        return body(request, MAX_BODY_BYTES);
    }

    /** The request body, checked against {@code maxBytes} (a route that takes files has its own limit). */
    static Optional<String> body(HttpRequestMessage<Optional<String>> request, int maxBytes) {
        Optional<String> body = request.getBody() == null ? Optional.empty() : request.getBody();
        if (body.isPresent()) {
            // UTF-8 takes at most 3 bytes per UTF-16 char: skip the exact count when clearly under.
            String text = body.get();
            if (text.length() * 3L > maxBytes) {
                long bytes = text.getBytes(StandardCharsets.UTF_8).length;
                if (bytes > maxBytes) {
                    throw new PayloadTooLarge(bytes, maxBytes);
                }
            }
        }
        return body.filter(text -> !text.isBlank());
    }

    static String requiredBody(HttpRequestMessage<Optional<String>> request) {
        // The Functions host passes a body on only with a Content-Length: a chunked one arrives as none.
        return body(request).orElseThrow(() -> new Invalid("body",
                "is required: a JSON object, sent with a Content-Length (a chunked body does not reach the app)"));
    }

    static HttpResponseMessage json(HttpRequestMessage<Optional<String>> request, HttpStatus status, JsonNode body) {
        return request.createResponseBuilder(status)
                .header("Content-Type", "application/json")
                .body(Json.write(body))
                .build();
    }

    /** A text body of {@code mediaType} (CSV, HTML), with any extra headers as name/value pairs. */
    static HttpResponseMessage text(HttpRequestMessage<Optional<String>> request, String mediaType, String body,
                                    String... headers) {
        HttpResponseMessage.Builder response = request.createResponseBuilder(HttpStatus.OK)
                .header("Content-Type", mediaType)
                .header("X-Content-Type-Options", "nosniff");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            response.header(headers[i], headers[i + 1]);
        }
        return response.body(body).build();
    }

    /** The header {@code name} (any case), if given and not blank. */
    static Optional<String> header(HttpRequestMessage<?> request, String name) {
        Map<String, String> headers = request.getHeaders();
        if (headers == null) {
            return Optional.empty();
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey() != null && header.getKey().equalsIgnoreCase(name)) {
                return Optional.ofNullable(header.getValue()).filter(v -> !v.isBlank());
            }
        }
        return Optional.empty();
    }

    /** The query parameter {@code name}, if given and not blank. */
    static Optional<String> query(HttpRequestMessage<?> request, String name) {
        Map<String, String> query = request.getQueryParameters();
        return Optional.ofNullable(query == null ? null : query.get(name)).filter(v -> !v.isBlank());
    }

    private static HttpResponseMessage respond(HttpRequestMessage<Optional<String>> request, HttpStatus status,
                                               ObjectNode problem, Map<String, String> headers) {
        problem.put("instance", request.getUri() == null ? "" : request.getUri().getPath());
        HttpResponseMessage.Builder response = request.createResponseBuilder(status)
                .header("Content-Type", PROBLEM_JSON);
        headers.forEach(response::header);
        return response.body(Json.write(problem)).build();
    }

    private static ObjectNode problem(String type, String title, int status, String detail) {
        ObjectNode problem = Json.object();
        problem.put("type", type);
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        return problem;
    }
}
