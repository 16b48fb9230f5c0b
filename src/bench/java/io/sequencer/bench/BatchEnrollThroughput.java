package io.sequencer.bench;

import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.adapters.azure.TableKeys;
import io.sequencer.functions.FunctionApp;
import io.sequencer.functions.StorageNames;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Batch enrolls through the HTTP API ({@code POST subscribers:batch}, {@link #PER_REQUEST} per request, from parallel
 * callers) into a sequence whose first step is a day away, so that nothing is delivered while it is timed; beside it,
 * the raw table batch insert rate of the same emulator, measured just before, with as many writers as callers.
 */
final class BatchEnrollThroughput {
    static final int PER_REQUEST = 500;
    private static final String SHAPED_PROFILES = "benchrawprofiles";
    private static final String SHAPED_ENROLLMENTS = "benchrawenrollments";

    record Result(int subscribers, double seconds, double subscribersPerSecond, double rawEntitiesPerSecond,
                  double tablePerSubscriber, double queuePerSubscriber, ProcessorShare.Cores rawCores,
                  ProcessorShare.Cores cores, double rawProfilesPerSecond, double rawEnrollmentsPerSecond) {
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
        ProcessorShare rawShare = ProcessorShare.start(azurite);
        RawTableInserts.Result inserts = new RawTableInserts(raw.table(table), sequenceId, callers)
                .write(0, subscribers, 600);
        ProcessorShare.Cores rawCores = rawShare.cores();
        try (BenchHost host = BenchHost.start(azurite, BenchHost.Functions.HTTP_ONLY)) {
            ApiClient api = new ApiClient(host.baseUrl());
            api.defineSequence(sequenceId, webhookUrl, 86_400);
            StorageClients storage = FunctionApp.get().storage();
            long startTable = storage.tableTransactions();
            long startQueue = storage.queueTransactions();
            long start = System.nanoTime();
            ProcessorShare share = ProcessorShare.start(azurite);
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
            ProcessorShare.Cores cores = share.cores();
            double tablePerSubscriber = (double) (storage.tableTransactions() - startTable) / subscribers;
            double queuePerSubscriber = (double) (storage.queueTransactions() - startQueue) / subscribers;
            EmulatorQueues.dropParkedTicks(raw);
            // The same raw insert again with the rows this enroll wrote as the template: whether the app's rows, not
            // only their number, cost the emulator more than the four-property ones above. Each shape has a table of
            // its own, which grows by a run's rows per run as the baseline's table and each of the app's do: the
            // emulator's inserts slow as a table grows.
            String sample = sequenceId + "-0";
            raw.ensureExists("bench-raw-enroll", SHAPED_PROFILES, SHAPED_ENROLLMENTS);
            double profiles = new RawTableInserts(raw.table(SHAPED_PROFILES), sequenceId, callers,
                    Optional.of(written(raw, StorageNames.SUBSCRIBERS_TABLE, sample))).write(0, subscribers, 600)
                    .entitiesPerSecond();
            double enrollments = new RawTableInserts(raw.table(SHAPED_ENROLLMENTS), sequenceId, callers,
                    Optional.of(written(raw, StorageNames.ENROLLMENTS_TABLE, sample))).write(0, subscribers, 600)
                    .entitiesPerSecond();
            return new Result(subscribers, seconds, subscribers / seconds, inserts.entitiesPerSecond(),
                    tablePerSubscriber, queuePerSubscriber, rawCores, cores, profiles, enrollments);
        }
    }

    /** The row the app wrote for {@code subscriberId} in {@code table} (its profile, or its one enrollment). */
    private static TableEntity written(StorageClients raw, String table, String subscriberId) {
        return raw.table(table).listEntities(new ListEntitiesOptions().setTop(1)
                        .setFilter("RowKey eq " + TableKeys.literal(TableKeys.of(subscriberId))), null, null).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("no row for " + subscriberId + " in " + table));
    }
}
