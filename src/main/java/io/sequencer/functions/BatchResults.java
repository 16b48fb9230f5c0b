package io.sequencer.functions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.ExecutionContext;
import io.sequencer.adapters.json.Json;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.logging.Level;

/**
 * Per-entry results of batch requests (events, batch enroll): each entry succeeds or fails on its own, with a
 * problem body like a single request's, so one bad entry never rejects the others.
 */
final class BatchResults {
    /** Entries worked on side by side; storage calls dominate, so a few threads hide their latency. */
    static final int PARALLELISM = 8;
    private static final ExecutorService WORKERS = Executors.newFixedThreadPool(PARALLELISM, r -> {
        Thread thread = new Thread(r, "sequencer-batch");
        thread.setDaemon(true);
        return thread;
    });

    private BatchResults() {}

    /** Runs {@code work} on each item, {@link #PARALLELISM} at a time, and waits for all. */
    static <T> void forEachInParallel(List<T> items, Consumer<T> work) {
        List<Future<?>> running = new java.util.ArrayList<>();
        items.forEach(item -> running.add(WORKERS.submit(() -> work.accept(item))));
        for (Future<?> future : running) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for batch entries", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("a batch entry failed unexpectedly", e.getCause());
            }
        }
    }

    static ObjectNode rejected(int index, RuntimeException problem) {
        ObjectNode out = Json.object();
        out.put("index", index);
        out.put("status", "rejected");
        HttpApi.Problem mapped = HttpApi.problemOf(problem).orElseThrow();
        out.set("problem", mapped.body());
        return out;
    }

    /** The result of an entry whose work threw: its problem, or a generic one (logged) for the unexpected. */
    static ObjectNode failed(int index, RuntimeException error, ExecutionContext context) {
        if (HttpApi.problemOf(error).isPresent()) {
            return rejected(index, error);
        }
        context.getLogger().log(Level.SEVERE, "batch entry " + index + " of " + context.getInvocationId() + " failed", error);
        ObjectNode out = Json.object();
        out.put("index", index);
        out.put("status", "failed");
        out.set("problem", Json.object().put("type", "about:blank").put("title", "Internal Server Error")
                .put("status", 500).put("detail", "this entry failed unexpectedly; it can be retried"));
        return out;
    }

    /** {@code {"results": [...], "counts": {status: n}}}. */
    static ObjectNode summary(ObjectNode[] results) {
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("results");
        Map<String, Integer> counts = new TreeMap<>();
        for (ObjectNode result : results) {
            list.add(result);
            counts.merge(result.get("status").asText(), 1, Integer::sum);
        }
        ObjectNode countNode = out.putObject("counts");
        counts.forEach(countNode::put);
        return out;
    }
}
