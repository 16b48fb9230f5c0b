package io.sequencer.bench;

import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.functions.FunctionApp;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Batch enrolls through the HTTP API ({@code POST subscribers:batch}, {@link #PER_REQUEST} per request, from parallel
 * callers) into a sequence whose first step is a day away, so that nothing is delivered while it is timed; beside it,
 * the raw table batch insert rate of the same emulator, measured just before, with as many writers as callers.
 */
final class BatchEnrollThroughput {
    static final int PER_REQUEST = 500;

    record Result(int subscribers, double seconds, double subscribersPerSecond, double rawEntitiesPerSecond,
                  double tablePerSubscriber, double queuePerSubscriber) {
        double ratio() {
            return subscribersPerSecond / rawEntitiesPerSecond;
        }
    }

    private final BenchAzurite azurite;
    private final String webhookUrl;
    private final int callers;

    BatchEnrollThroughput(BenchAzurite azurite, String webhookUrl, int callers) {
        this.azurite = azurite;
        this.webhookUrl = webhookUrl;
        this.callers = callers;
    }

    Result run(String sequenceId, int subscribers) throws Exception {
        StorageClients raw = azurite.clients();
        String table = "benchrawenroll";
        raw.ensureExists("bench-raw-enroll", table);
        RawTableInserts.Result inserts = new RawTableInserts(raw.table(table), sequenceId, callers)
                .write(0, subscribers, 600);
        try (BenchHost host = BenchHost.start(azurite, BenchHost.Functions.HTTP_ONLY)) {
            ApiClient api = new ApiClient(host.baseUrl());
            api.defineSequence(sequenceId, webhookUrl, 86_400);
            StorageClients storage = FunctionApp.get().storage();
            long startTable = storage.tableTransactions();
            long startQueue = storage.queueTransactions();
            long start = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(callers);
            try {
                List<Future<?>> requests = new ArrayList<>();
                for (int from = 0; from < subscribers; from += PER_REQUEST) {
                    int first = from;
                    requests.add(pool.submit(() -> api.enrollBatch(sequenceId, sequenceId + "-", first,
                            Math.min(subscribers, first + PER_REQUEST))));
                }
                for (Future<?> request : requests) {
                    request.get();
                }
            } finally {
                pool.shutdownNow();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(subscribers, seconds, subscribers / seconds, inserts.entitiesPerSecond(),
                    (double) (storage.tableTransactions() - startTable) / subscribers,
                    (double) (storage.queueTransactions() - startQueue) / subscribers);
        }
    }
}
