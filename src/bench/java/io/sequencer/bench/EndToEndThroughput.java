package io.sequencer.bench;

import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.adapters.azure.StorageTransactionCounter;
import io.sequencer.functions.FunctionApp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Deliveries per second through the whole app: {@code subscribers} are enrolled through the HTTP API (on the
 * host with its HTTP functions only, so the enroll rate is measured alone), every first step is then due; the
 * whole host starts and delivers the 3-step sequence (0-second delays) to the sink. Measured from the first
 * delivery to the last. Storage transactions come from the app's own counters, the trigger's get/delete from
 * {@link TriggerQueueCounter}; so does each kind of request's time, from its sending to its answer's headers, which
 * shows what a tick waits for under this load.
 */
final class EndToEndThroughput {
    static final int STEPS = 3;

    /** Subscribers per batch-enroll request (the API's maximum is 1,000). */
    static final int BATCH = 500;

    record Result(int subscribers, double enrollSeconds, double enrollsPerSecond, double batchEnrollsPerSecond,
                  int deliveries, int distinctDeliveries,
                  double seconds, double deliveriesPerSecond, long appQueueTransactions, long appTableTransactions,
                  long triggerQueueTransactions, long coldStartMillis, double cpuMillisPerDelivery,
                  ProcessorShare.Cores cores, Map<String, StorageTransactionCounter.RequestTimes> requestTimes) {}

    private final String connectionString;
    private final DeliverySink sink;
    private final int parallelCallers;
    private final Optional<Integer> tickShards;
    private final BenchAzurite azurite;

    EndToEndThroughput(BenchAzurite azurite, DeliverySink sink, int parallelCallers) {
        this(azurite, azurite.connectionString(), sink, parallelCallers, Optional.empty());
    }

    /**
     * {@code azurite}: the emulator whose processes' share of the cores is measured; {@code connectionString}: the
     * app's storage (that emulator, or a proxy in front of its queues);
     * {@code tickShards}: the timer shards of the app (empty: its default).
     */
    EndToEndThroughput(BenchAzurite azurite, String connectionString, DeliverySink sink, int parallelCallers,
                       Optional<Integer> tickShards) {
        this.connectionString = connectionString;
        this.sink = sink;
        this.parallelCallers = parallelCallers;
        this.tickShards = tickShards;
        this.azurite = azurite;
    }

    Result run(String sequenceId, int subscribers) throws Exception {
        double enrollSeconds;
        double batchSeconds;
        long startQueue;
        long startTable;
        try (BenchHost enrollOnly = BenchHost.start(connectionString, BenchHost.Functions.HTTP_ONLY, tickShards)) {
            // Building the app creates the queue and tables if missing; measured here, subtracted below.
            StorageClients fresh = FunctionApp.get().storage();
            startQueue = fresh.queueTransactions();
            startTable = fresh.tableTransactions();
            ApiClient api = new ApiClient(enrollOnly.baseUrl());
            api.defineSequence(sequenceId, sink.url(), 0, 0, 0);
            long start = System.nanoTime();
            api.enrollAll(subscribers, parallelCallers, i -> sequenceId, "sub-");
            enrollSeconds = (System.nanoTime() - start) / 1e9;
            // The same subscribers again through the batch endpoint, into a sequence whose first step is a day away
            // (parked, so it does not add to the deliveries measured below): known now, so each is enrolled alone,
            // as a re-engagement campaign would be (new subscribers go 99 at a time: the harness's "enroll" part).
            // Like the single enrolls, it runs on this enroll-only app, whose storage counters are not the
            // delivering app's.
            String later = sequenceId + "-batch";
            api.defineSequence(later, sink.url(), 86_400);
            start = System.nanoTime();
            for (int from = 0; from < subscribers; from += BATCH) {
                api.enrollBatch(later, "sub-", from, Math.min(subscribers, from + BATCH));
            }
            batchSeconds = (System.nanoTime() - start) / 1e9;
            EmulatorQueues.dropParkedTicks(fresh);
        }
        int expected = subscribers * STEPS;
        long started = System.currentTimeMillis();
        long cpuStart = ProcessorShare.jvmNanos();
        BenchHost whole = BenchHost.start(connectionString, BenchHost.Functions.ALL, tickShards);
        // From the host up (deliveries start within 100 ms) to the last delivery: not its start-up nor its stop.
        ProcessorShare share = ProcessorShare.start(azurite);
        TriggerQueueCounter trigger = TriggerQueueCounter.attach(whole.host(), connectionString);
        StorageClients storage = FunctionApp.get().storage();
        Map<String, StorageTransactionCounter.RequestTimes> appTimes = storage.requestTimes();
        Map<String, StorageTransactionCounter.RequestTimes> triggerTimes = trigger.requestTimes();
        boolean complete;
        ProcessorShare.Cores cores;
        Map<String, StorageTransactionCounter.RequestTimes> times = new TreeMap<>();
        try (whole) {
            complete = sink.await(sequenceId, expected, 300_000);
            cores = share.cores();
            // The prefix keeps the trigger's get and delete apart from the app's requests of the same kinds.
            times.putAll(StorageTransactionCounter.since(appTimes, storage.requestTimes()));
            StorageTransactionCounter.since(triggerTimes, trigger.requestTimes())
                    .forEach((kind, t) -> times.put("trigger " + kind, t));
        }
        long cpuNanos = ProcessorShare.jvmNanos() - cpuStart;
        if (!complete) {
            throw new IllegalStateException(sequenceId + ": only " + sink.count(sequenceId) + " of " + expected + " delivered in 5 minutes");
        }
        List<DeliverySink.Arrival> arrivals = sink.arrivals(sequenceId);
        long first = arrivals.stream().mapToLong(DeliverySink.Arrival::receivedAtMillis).min().orElseThrow();
        long last = arrivals.stream().mapToLong(DeliverySink.Arrival::receivedAtMillis).max().orElseThrow();
        double seconds = (last - first) / 1000.0;
        int distinct = (int) arrivals.stream().map(DeliverySink.Arrival::deliveryId).distinct().count();
        return new Result(subscribers, enrollSeconds, subscribers / enrollSeconds, subscribers / batchSeconds,
                arrivals.size(), distinct, seconds,
                (arrivals.size() - 1) / seconds,
                storage.queueTransactions() - startQueue, storage.tableTransactions() - startTable,
                trigger.transactions(), first - started, cpuNanos / 1e6 / arrivals.size(), cores, times);
    }
}
