package io.sequencer.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** The HTTP API as a host server calls it: define a sequence, enroll subscribers from parallel callers. */
final class ApiClient {
    static final String ACCOUNT = "bench";

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    ApiClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A sequence of {@code delaysSeconds.length} steps, each delayed as given, delivered to {@code webhookUrl}. */
    void defineSequence(String sequenceId, String webhookUrl, int... delaysSeconds) {
        ObjectNode body = Json.object().put("name", sequenceId);
        ArrayNode steps = body.putArray("steps");
        for (int i = 0; i < delaysSeconds.length; i++) {
            ObjectNode step = steps.addObject().put("id", "s" + (i + 1));
            step.putObject("delay").put("amount", delaysSeconds[i]).put("unit", "seconds");
            step.putObject("message").put("text", "step " + (i + 1));
        }
        body.putObject("channel").put("type", "webhook").put("url", webhookUrl);
        int status = send("PUT", path(sequenceId), Json.write(body));
        if (status != 200 && status != 201) {
            throw new IllegalStateException("defining " + sequenceId + " answered " + status);
        }
    }

    /** Enrolls one subscriber; the status the API answered. */
    int enroll(String sequenceId, String subscriberId) {
        return send("PUT", path(sequenceId) + "/subscribers/" + subscriberId, null);
    }

    /**
     * Enrolls {@code count} subscribers, {@code parallel} calls at a time, subscriber {@code i} into the sequence
     * {@code sequenceFor.apply(i)}. @throws IllegalStateException when any enroll is not answered 201
     */
    void enrollAll(int count, int parallel, IntFunction<String> sequenceFor, String subscriberPrefix) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService callers = Executors.newFixedThreadPool(parallel);
        for (int c = 0; c < parallel; c++) {
            callers.execute(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    if (enroll(sequenceFor.apply(i), subscriberPrefix + i) != 201) {
                        failed.incrementAndGet();
                    }
                }
            });
        }
        callers.shutdown();
        if (!callers.awaitTermination(10, TimeUnit.MINUTES) || failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + count + " enrollments failed");
        }
    }

    /**
     * Enrolls subscribers {@code prefix + from} up to {@code prefix + (to - 1)} with one batch request.
     * @throws IllegalStateException unless the API answers 200 with every entry enrolled
     */
    void enrollBatch(String sequenceId, String prefix, int from, int to) {
        ObjectNode body = Json.object();
        ArrayNode subscribers = body.putArray("subscribers");
        for (int i = from; i < to; i++) {
            subscribers.addObject().put("subscriberId", prefix + i);
        }
        HttpResponse<String> response = call("POST", path(sequenceId) + "/subscribers:batch", Json.write(body));
        int enrolled = response.statusCode() == 200
                ? Json.read(response.body()).path("counts").path("enrolled").asInt() : -1;
        if (enrolled != to - from) {
            throw new IllegalStateException("batch enroll answered " + response.statusCode() + " with " + enrolled
                    + " of " + (to - from) + " enrolled");
        }
    }

    private static String path(String sequenceId) {
        return "/api/accounts/" + ACCOUNT + "/sequences/" + sequenceId;
    }

    int send(String method, String path, String body) {
        return call(method, path, body).statusCode();
    }

    private HttpResponse<String> call(String method, String path, String body) {
        return call(method, path, body, "application/json");
    }

    /** {@code path} (below the host) called with the harness's key; a part of an import may take a while. */
    HttpResponse<String> call(String method, String path, String body, String contentType) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", contentType)
                .header("x-functions-key", BenchHost.FUNCTION_KEY)
                .timeout(Duration.ofSeconds(120))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
