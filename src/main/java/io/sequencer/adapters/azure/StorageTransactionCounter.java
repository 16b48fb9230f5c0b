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
 * headers: what a caller waits for storage, which the benchmarks read under load.
 */
public final class StorageTransactionCounter implements HttpPipelinePolicy {
    /** Requests of one kind so far, and their time in all. */
    public record Waits(long requests, long nanos) {
        public double meanMillis() {
            return requests == 0 ? Double.NaN : nanos / 1e6 / requests;
        }

        /** The requests and time since {@code earlier}, a snapshot of the same kind. */
        public Waits since(Waits earlier) {
            return new Waits(requests - earlier.requests, nanos - earlier.nanos);
        }
    }

    static final String QUEUE = "queue";
    static final String TABLE = "table";

    private final String service;
    private final LongAdder count = new LongAdder();
    private final Map<String, LongAdder[]> waits = new ConcurrentHashMap<>();

    /** @param service {@link #QUEUE} or {@link #TABLE}: the service of the client it counts for */
    StorageTransactionCounter(String service) {
        this.service = service;
    }

    public static StorageTransactionCounter forQueues() {
        return new StorageTransactionCounter(QUEUE);
    }

    public static StorageTransactionCounter forTables() {
        return new StorageTransactionCounter(TABLE);
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        count.increment();
        long start = System.nanoTime();
        String kind = kind(context.getHttpRequest());
        return next.process().doFinally(signal -> waited(kind, start));
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        count.increment();
        long start = System.nanoTime();
        try {
            return next.processSync();
        } finally {
            waited(kind(context.getHttpRequest()), start);
        }
    }

    public long count() {
        return count.sum();
    }

    /** The requests so far and their time, by {@link #kind}, of all {@code counters} (of different services). */
    public static Map<String, Waits> waits(StorageTransactionCounter... counters) {
        Map<String, Waits> snapshot = new TreeMap<>();
        for (StorageTransactionCounter counter : counters) {
            counter.waits.forEach((kind, sums) -> snapshot.put(kind, new Waits(sums[0].sum(), sums[1].sum())));
        }
        return snapshot;
    }

    /**
     * The service, a request's method and what its path addresses, the same for every queue, table, message and row:
     * {@code queue POST messages} (a put), {@code queue GET messages} (a get), {@code queue DELETE message},
     * {@code queue PUT message} (an update), {@code queue PUT queue} and the like for a queue itself;
     * {@code table GET row} (a point read), {@code table PUT row} or {@code MERGE row} (a write of one), {@code table
     * GET rows} (a query), {@code table POST rows} (an insert), {@code table POST $batch} (a transaction) and
     * {@code table ... tables} for the table list.
     */
    String kind(HttpRequest request) {
        String path = request.getUrl().getPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        String what;
        if (service.equals(QUEUE)) {
            what = last.equals("messages") ? "messages" : path.contains("/messages/") ? "message" : "queue";
        } else if (last.equals("$batch")) {
            what = "$batch";
        } else {
            what = last.contains("(PartitionKey=") ? "row" : last.startsWith("Tables") ? "tables" : "rows";
        }
        return service + " " + request.getHttpMethod() + " " + what;
    }

    /** Per kind, the requests and time of {@code after} since {@code before} (snapshots of {@link #waits}). */
    public static Map<String, Waits> since(Map<String, Waits> before, Map<String, Waits> after) {
        Map<String, Waits> delta = new TreeMap<>();
        after.forEach((kind, waits) -> {
            Waits d = waits.since(before.getOrDefault(kind, new Waits(0, 0)));
            if (d.requests() > 0) {
                delta.put(kind, d);
            }
        });
        return delta;
    }

    private void waited(String kind, long start) {
        LongAdder[] sums = waits.computeIfAbsent(kind, k -> new LongAdder[] {new LongAdder(), new LongAdder()});
        sums[0].increment();
        sums[1].add(System.nanoTime() - start);
    }
}
