package io.sequencer.adapters.azure;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.publisher.Mono;

/**
 * Counts storage transactions (HTTP requests that reach the service, retries included), the unit Azure
 * bills and the figure the benchmarks compare. Placed per client, so queue and table counts stay apart.
 *
 * <p>It also adds up, per {@link #kind kind of request}, how long each took from its sending to its answer's
 * headers, which the benchmarks read under load. It runs once per attempt, so a retried call counts as its attempts,
 * without the back-off between them.
 */
public final class StorageTransactionCounter implements HttpPipelinePolicy {
    /** Requests of one kind so far, and their time in all. */
    public record RequestTimes(long requests, long nanos) {
        public double meanMillis() {
            return requests == 0 ? Double.NaN : nanos / 1e6 / requests;
        }

        /** The requests and time since {@code earlier}, a snapshot of the same kind. */
        public RequestTimes since(RequestTimes earlier) {
            return new RequestTimes(requests - earlier.requests, nanos - earlier.nanos);
        }
    }

    /** The service a counter's client talks to: it decides how a request's path is read. */
    private enum Service {
        QUEUE("queue") {
            @Override
            String addressed(String path, String last) {
                return last.equals("messages") ? "messages" : path.contains("/messages/") ? "message" : "queue";
            }
        },
        TABLE("table") {
            @Override
            String addressed(String path, String last) {
                if (last.equals("$batch")) {
                    return "$batch";
                }
                return last.contains("(PartitionKey=") ? "row" : last.startsWith("Tables") ? "tables" : "rows";
            }
        };

        /** How a kind names the service, e.g. "queue". */
        final String label;

        Service(String label) {
            this.label = label;
        }

        abstract String addressed(String path, String last);
    }

    /** One kind's running sums. */
    private static final class Sums {
        final LongAdder requests = new LongAdder();
        final LongAdder nanos = new LongAdder();
    }

    private final Service service;
    private final LongAdder count = new LongAdder();
    private final Map<String, Sums> times = new ConcurrentHashMap<>();

    private StorageTransactionCounter(Service service) {
        this.service = service;
    }

    public static StorageTransactionCounter forQueues() {
        return new StorageTransactionCounter(Service.QUEUE);
    }

    public static StorageTransactionCounter forTables() {
        return new StorageTransactionCounter(Service.TABLE);
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        String kind = kind(context.getHttpRequest());
        return Mono.defer(() -> {
            count.increment();
            long start = System.nanoTime();
            return next.process().doOnSuccess(answer -> took(kind, start)).doOnError(failure -> took(kind, start));
        });
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        count.increment();
        String kind = kind(context.getHttpRequest());
        long start = System.nanoTime();
        try {
            return next.processSync();
        } finally {
            took(kind, start);
        }
    }

    public long count() {
        return count.sum();
    }

    /** The requests so far and their time, by {@link #kind}, of all {@code counters} (of different services). */
    public static Map<String, RequestTimes> requestTimes(StorageTransactionCounter... counters) {
        Map<String, RequestTimes> snapshot = new TreeMap<>();
        for (StorageTransactionCounter counter : counters) {
            counter.times.forEach((kind, sums) ->
                    snapshot.put(kind, new RequestTimes(sums.requests.sum(), sums.nanos.sum())));
        }
        return snapshot;
    }

    /** Per kind, the requests and time of {@code after} since {@code before} (snapshots of {@link #requestTimes}). */
    public static Map<String, RequestTimes> since(Map<String, RequestTimes> before, Map<String, RequestTimes> after) {
        Map<String, RequestTimes> delta = new TreeMap<>();
        after.forEach((kind, times) -> {
            RequestTimes d = times.since(before.getOrDefault(kind, new RequestTimes(0, 0)));
            if (d.requests() > 0) {
                delta.put(kind, d);
            }
        });
        return delta;
    }

    /**
     * The service, a request's method and what its path addresses, the same for every queue, table, message and row:
     * {@code queue POST messages} (a put), {@code queue GET messages} (a get), {@code queue DELETE message},
     * {@code queue PUT message} (an update), {@code queue PUT queue} and the like for a queue itself;
     * {@code table GET row} (a point read), {@code table PUT row} or {@code table PATCH row} (a replace or a merge of
     * one), {@code table GET rows} (a query), {@code table POST rows} (an insert), {@code table POST $batch} (a
     * transaction) and {@code table ... tables} for the table list. (A queue named "messages" or a table named
     * "Tables..." would be misread; the app has none.)
     */
    String kind(HttpRequest request) {
        String path = request.getUrl().getPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        return service.label + " " + request.getHttpMethod() + " " + service.addressed(path, last);
    }

    private void took(String kind, long start) {
        Sums sums = times.computeIfAbsent(kind, k -> new Sums());
        sums.requests.increment();
        sums.nanos.add(System.nanoTime() - start);
    }
}
