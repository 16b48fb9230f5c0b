package io.sequencer.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import io.sequencer.domain.Ids;
import io.sequencer.domain.Sha256;
import io.sequencer.engine.idempotency.IdempotentRequests;
import io.sequencer.engine.idempotency.RecordedAnswer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * Writes that honour an {@code Idempotency-Key}: the first request with a key runs and its answer is kept; a retry
 * with the same key and the same request (method, path, body) gets that answer again, marked
 * {@value #REPLAYED}; the same key with another request, or while the first still runs, is a 409.
 * A request without the header runs as before.
 */
final class IdempotentWrites {
    static final String REPLAYED = "Idempotent-Replayed";

    private IdempotentWrites() {}

    static HttpResponseMessage run(HttpRequestMessage<Optional<String>> request, ExecutionContext context,
                                   String account, Supplier<HttpResponseMessage> action) {
        Optional<String> key = IdempotencyKeyHeader.of(request.getHeaders());
        if (key.isEmpty()) {
            return action.get();
        }
        Ids.require("account", account);
        IdempotentRequests requests = FunctionApp.get().engine().idempotentRequests();
        IdempotentRequests.Start start = requests.start(account, key.get(), fingerprint(request));
        if (start instanceof IdempotentRequests.Start.Replay replay) {
            return replayed(request, replay.answer());
        }
        IdempotentRequests.Claim claim = ((IdempotentRequests.Start.Run) start).claim();
        HttpResponseMessage response = HttpApi.handle(request, context, action);
        try {
            if (!requests.finish(claim, answerOf(response))) {
                context.getLogger().warning("request " + context.getInvocationId() + " outlived its idempotency-key"
                        + " lease; the attempt that took the key over keeps its own answer");
            }
        } catch (RuntimeException e) {
            // The request has run and its answer goes out; the claim's lease ends and a retry would run it again.
            context.getLogger().log(Level.WARNING, "request " + context.getInvocationId()
                    + " ran but its answer could not be kept for retries", e);
        }
        return response;
    }

    /** SHA-256 of the canonical request: method, path and body; the account is in the path. */
    static String fingerprint(HttpRequestMessage<Optional<String>> request) {
        String path = request.getUri() == null ? "" : request.getUri().getPath();
        // The body as sent, whatever its size: the route checks its own limit when it runs.
        Optional<String> body = request.getBody() == null ? Optional.empty() : request.getBody();
        return Sha256.hex(request.getHttpMethod() + " " + path + "\n" + body.filter(t -> !t.isBlank()).orElse(""), 32);
    }

    private static RecordedAnswer answerOf(HttpResponseMessage response) {
        Object body = response.getBody();
        String text = body == null ? "" : body instanceof byte[] bytes
                ? new String(bytes, StandardCharsets.UTF_8) : body.toString();
        return new RecordedAnswer(response.getStatusCode(), response.getHeader("Content-Type"), text);
    }

    private static HttpResponseMessage replayed(HttpRequestMessage<Optional<String>> request, RecordedAnswer answer) {
        HttpResponseMessage.Builder response = request.createResponseBuilder(HttpStatusType.custom(answer.status()))
                .header(REPLAYED, "true");
        if (!answer.contentType().isEmpty()) {
            response.header("Content-Type", answer.contentType());
        }
        return response.body(answer.body()).build();
    }
}
