package io.sequencer.bench;

import io.sequencer.functions.StorageNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One timer shard against two in the same run (opt-in part {@code shards}): for each, the end-to-end maximum
 * (deliveries/s, {@code runs} runs after one warm-up, the two interleaved), then the lateness at one offered rate,
 * the same for both. Each shard has its trigger, so two shards also take twice the trigger's invocations at once,
 * as on Azure, where each function scales by its own queue.
 *
 * <p>Sharding exists for Azure's per-queue target, which Azurite does not have; with {@code --queue-target N} (the
 * default) the app's queues are reached through a {@link QueueTargetProxy} that imposes it, scaled down to N
 * message operations per second per queue. The lateness is then measured at 1.3 times what one queue's budget
 * carries in steps within the window (N over 2: the window's steps were put before it, so each is a get and a delete
 * there): more than one queue can take, 0.65 of what each of two may. Not 1.3 times the one-shard end-to-end maximum:
 * that burst (every first step due at once) spends much of its time in retry waits after 503s, and is well below what
 * one queue sustains at a steady rate. With {@code --queue-target 0} there is no proxy, and the rate is
 * 0.9 of the one-shard maximum, which one queue only just keeps up with.
 */
final class ShardComparison {
    static final List<Integer> SHARDS = List.of(1, 2);
    static final double RATE_FRACTION = 0.9;
    /** A lateness step's operations on its queue inside the window: received and deleted (its put came before). */
    static final double WINDOW_OPERATIONS_PER_STEP = 2;
    static final double RATE_FRACTION_OVER_TARGET = 1.3;

    /** How long after a lateness run the harness waits for any step still missing, to show none was lost. */
    static final long STRAGGLER_WAIT_MILLIS = 240_000;

    /**
     * {@code triggerTransactions}: the triggers' gets and deletes per delivered step; {@code tickOperations}: the
     * proxy's operations on the shards' queues per delivered step; {@code e2eQueues} and {@code latenessQueues}: the
     * proxy's counts per queue over the measured end-to-end runs and over the lateness run (empty without a queue
     * target), and over the lateness run from its window's start on ({@code windowQueues}, the rest being the
     * enrolling before it); {@code eventuallyDelivered}: the lateness run's steps that arrived at all, within
     * {@link #STRAGGLER_WAIT_MILLIS} after it.
     */
    record Result(int shards, Spread deliveriesPerSecond, Spread triggerTransactions, Spread tickOperations,
                  double offeredRate, String rateBasis, LatenessAtRate.Result lateness, int eventuallyDelivered,
                  Map<String, QueueTargetProxy.Counts> e2eQueues, Map<String, QueueTargetProxy.Counts> latenessQueues,
                  Map<String, QueueTargetProxy.Counts> windowQueues) {}

    private final BenchAzurite azurite;
    private final DeliverySink sink;
    private final BenchOptions options;

    ShardComparison(BenchAzurite azurite, DeliverySink sink, BenchOptions options) {
        this.azurite = azurite;
        this.sink = sink;
        this.options = options;
    }

    List<Result> run() throws Exception {
        if (options.queueTarget() <= 0) {
            return run(azurite.connectionString(), Optional.empty());
        }
        QueueTargetProxy.selfCheck(azurite);
        System.out.println("queue target proxy: self-check passed (the 503 the SDK logged above is its refusal)");
        try (QueueTargetProxy proxy = QueueTargetProxy.start(azurite.queuePort(), options.queueTarget())) {
            List<Result> results = run(azurite.connectionString(proxy.port()), Optional.of(proxy));
            // Each such request was answered 500 (which the SDK retries too): 0 in a sound run.
            System.out.printf("queue target proxy: %d requests could not reach the emulator%n", proxy.upstreamFailures());
            return results;
        }
    }

    private List<Result> run(String connection, Optional<QueueTargetProxy> proxy) throws Exception {
        Map<Integer, EndToEndThroughput> e2e = new LinkedHashMap<>();
        Map<Integer, List<Double>> rates = new LinkedHashMap<>();
        Map<Integer, List<Double>> enrolls = new LinkedHashMap<>();
        Map<Integer, List<Double>> triggerTransactions = new LinkedHashMap<>();
        Map<Integer, List<Double>> tickOperations = new LinkedHashMap<>();
        Map<Integer, Map<String, QueueTargetProxy.Counts>> e2eQueues = new LinkedHashMap<>();
        for (int shards : SHARDS) {
            triggerTransactions.put(shards, new ArrayList<>());
            tickOperations.put(shards, new ArrayList<>());
            e2e.put(shards, new EndToEndThroughput(azurite, connection, sink, options.parallelCallers(), Optional.of(shards)));
            e2e.get(shards).run("shards" + shards + "-warmup", options.subscribers());
            rates.put(shards, new ArrayList<>());
            enrolls.put(shards, new ArrayList<>());
            e2eQueues.put(shards, new TreeMap<>());
        }
        // Interleaved, so that the emulator's drift over the run weighs on each shard count alike.
        for (int run = 1; run <= options.runs(); run++) {
            for (int shards : SHARDS) {
                Map<String, QueueTargetProxy.Counts> before = counts(proxy);
                EndToEndThroughput.Result r = e2e.get(shards).run("shards" + shards + "-e2e-" + run, options.subscribers());
                Map<String, QueueTargetProxy.Counts> queues = relevant(since(before, counts(proxy)), shards);
                queues.forEach((queue, c) -> e2eQueues.get(shards).merge(queue, c, QueueTargetProxy.Counts::plus));
                double perStep = r.triggerQueueTransactions() / (double) r.deliveries();
                System.out.printf("shards %d e2e run %d: %d deliveries in %.1f s = %.0f/s; trigger %.2f transactions per"
                        + " step%s%n", shards, run, r.deliveries(), r.seconds(), r.deliveriesPerSecond(), perStep,
                        describe(queues));
                triggerTransactions.get(shards).add(perStep);
                tickOperations.get(shards).add(tickOperations(queues, shards) / (double) r.deliveries());
                rates.get(shards).add(r.deliveriesPerSecond());
                enrolls.get(shards).add(r.enrollsPerSecond());
            }
        }
        Map<Integer, Spread> maxima = new LinkedHashMap<>();
        Map<Integer, Double> enrollRates = new LinkedHashMap<>();
        for (int shards : SHARDS) {
            maxima.put(shards, Spread.of(rates.get(shards)));
            enrollRates.put(shards, Spread.of(enrolls.get(shards)).median());
        }
        double rate;
        String basis;
        if (proxy.isPresent()) {
            // The window's steps are put before it opens, so within it a step is a get and a delete on its queue.
            double perStep = WINDOW_OPERATIONS_PER_STEP;
            rate = RATE_FRACTION_OVER_TARGET * options.queueTarget() / perStep;
            basis = String.format("%.1f x one queue's budget in steps within the window, %d / %.0f",
                    RATE_FRACTION_OVER_TARGET, options.queueTarget(), perStep);
        } else {
            rate = maxima.get(SHARDS.get(0)).median() * RATE_FRACTION;
            basis = String.format("%.1f x the 1-shard max", RATE_FRACTION);
        }
        List<Result> results = new ArrayList<>();
        for (int shards : SHARDS) {
            try (BenchHost host = BenchHost.start(connection, BenchHost.Functions.ALL, Optional.of(shards))) {
                // All ahead: the rate basis above counts the window's steps as put before it opens.
                LatenessAtRate lateness = new LatenessAtRate(new ApiClient(host.baseUrl()), sink, options.parallelCallers(),
                        enrollRates.get(shards), LatenessAtRate.Scheduling.AHEAD, 1);
                Map<String, QueueTargetProxy.Counts> before = counts(proxy);
                String runId = "shards" + shards + "-lat";
                // The counts every 250 ms, to tell the enrolling before the window from the window itself.
                ConcurrentSkipListMap<Long, Map<String, QueueTargetProxy.Counts>> timeline = new ConcurrentSkipListMap<>();
                ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
                sampler.scheduleAtFixedRate(() -> timeline.put(System.currentTimeMillis(), counts(proxy)), 0, 250,
                        TimeUnit.MILLISECONDS);
                LatenessAtRate.Result r;
                try {
                    r = lateness.run(runId, rate, options.latenessSeconds());
                } finally {
                    sampler.shutdownNow();
                }
                Map<String, QueueTargetProxy.Counts> after = counts(proxy);
                Map<String, QueueTargetProxy.Counts> queues = relevant(since(before, after), shards);
                var atWindow = timeline.floorEntry(r.windowStartMillis());
                Map<String, QueueTargetProxy.Counts> window = relevant(since(atWindow == null ? before
                        : atWindow.getValue(), after), shards);
                Percentiles p = r.lateness();
                System.out.printf("shards %d lateness at %.0f/s (%s): %d/%d delivered; p50 %d, p95 %d, p99 %d, max %d"
                        + " ms%s; from the window's start on: %s%n", shards, rate, basis, r.delivered(), r.expected(),
                        p.p50(), p.p95(), p.p99(), p.max(), describe(queues), perQueue(window));
                // The percentiles above count a missing step at the lateness it had reached; here, whether it comes.
                long waitStart = System.nanoTime();
                sink.await(runId + "-d", r.expected(), STRAGGLER_WAIT_MILLIS);
                int eventually = sink.countWithPrefix(runId + "-d");
                System.out.printf("shards %d lateness run: %d/%d delivered %.0f s after the measurement%n", shards,
                        eventually, r.expected(), (System.nanoTime() - waitStart) / 1e9);
                results.add(new Result(shards, maxima.get(shards), Spread.of(triggerTransactions.get(shards)),
                        Spread.of(tickOperations.get(shards)), rate, basis, r, eventually, e2eQueues.get(shards),
                        queues, window));
            }
        }
        return results;
    }

    /** Operations on the queues of the first {@code shards} timer shards. */
    private static long tickOperations(Map<String, QueueTargetProxy.Counts> queues, int shards) {
        long operations = 0;
        for (String queue : tickQueues(shards)) {
            QueueTargetProxy.Counts c = queues.get(queue);
            operations += c == null ? 0 : c.operations();
        }
        return operations;
    }

    /** The triggered timer queues of the first {@code shards} shards. */
    private static List<String> tickQueues(int shards) {
        List<String> names = new ArrayList<>(shards);
        for (int shard = 0; shard < shards; shard++) {
            names.add(StorageNames.tickQueue(shard));
        }
        return names;
    }

    private static Map<String, QueueTargetProxy.Counts> counts(Optional<QueueTargetProxy> proxy) {
        return proxy.map(QueueTargetProxy::counts).orElse(Map.of());
    }

    /** The counts of each queue that saw traffic between {@code before} and {@code after}. */
    private static Map<String, QueueTargetProxy.Counts> since(Map<String, QueueTargetProxy.Counts> before,
                                                              Map<String, QueueTargetProxy.Counts> after) {
        Map<String, QueueTargetProxy.Counts> out = new TreeMap<>();
        after.forEach((queue, c) -> {
            QueueTargetProxy.Counts d = c.minus(before.getOrDefault(queue, new QueueTargetProxy.Counts(0, 0)));
            if (d.operations() > 0 || d.refused() > 0) {
                out.put(queue, d);
            }
        });
        return out;
    }

    /**
     * The queues of the shards in use, and any other that was refused: the app's other queues (and the unused
     * shards' queues, which their triggers still poll) only see idle polls.
     */
    private static Map<String, QueueTargetProxy.Counts> relevant(Map<String, QueueTargetProxy.Counts> queues,
                                                                 int shards) {
        List<String> used = tickQueues(shards);
        Map<String, QueueTargetProxy.Counts> out = new TreeMap<>();
        queues.forEach((queue, c) -> {
            if (used.contains(queue) || c.refused() > 0) {
                out.put(queue, c);
            }
        });
        return out;
    }

    /** "; per queue, ..." for the console, or nothing without a proxy. */
    private static String describe(Map<String, QueueTargetProxy.Counts> queues) {
        return queues.isEmpty() ? "" : "; per queue, operations / 503s: " + perQueue(queues);
    }

    private static String perQueue(Map<String, QueueTargetProxy.Counts> queues) {
        return queues.isEmpty() ? "none" : queues.entrySet().stream()
                .map(e -> String.format("%s %,d / %,d", e.getKey(), e.getValue().operations(), e.getValue().refused()))
                .collect(Collectors.joining(", "));
    }

    /** Adds each shard count's figures to {@code report}; {@code queueTarget} 0 when there was no proxy. */
    static void report(List<Result> results, BenchReport report, int subscribers, int queueTarget) {
        String target = queueTarget > 0 ? String.format(", queue target %d operations/s per queue", queueTarget)
                : ", no queue target";
        for (Result r : results) {
            Percentiles p = r.lateness().lateness();
            report.add(String.format("%d timer shard(s): end-to-end deliveries/s (%d subscribers x %d steps%s)", r.shards(),
                    subscribers, EndToEndThroughput.STEPS, target), r.deliveriesPerSecond().format(0),
                    "trigger get+delete per step " + r.triggerTransactions().format(2), "");
            report.add(String.format("%d timer shard(s): lateness ms at %.0f/s offered (%s), %d s: p50 / p99 / max",
                            r.shards(), r.offeredRate(), r.rateBasis(), (int) r.lateness().windowSeconds()),
                    p.p50() + " / " + p.p99() + " / " + p.max(),
                    String.format("%d of %d delivered within %d s of the window; %d in all", r.lateness().delivered(),
                            r.lateness().expected(), LatenessAtRate.GRACE_MILLIS / 1000, r.eventuallyDelivered()), "");
            if (queueTarget > 0) {
                report.add(String.format("%d timer shard(s): operations on the shards' queues per delivered step (e2e)",
                        r.shards()), r.tickOperations().format(2), "", "");
                report.add(String.format("%d timer shard(s): per queue (the shards', and any other refused), message"
                                + " operations / 503 ServerBusy answers",
                                r.shards()), "e2e runs: " + perQueue(r.e2eQueues()),
                        "lateness run: " + perQueue(r.latenessQueues()) + "; of which from the window's start on: "
                                + perQueue(r.windowQueues()),
                        "");
            }
        }
    }
}
