package io.sequencer.bench;

import io.sequencer.functions.StorageNames;
import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.adapters.azure.StorageTransactionCounter;
import io.sequencer.functions.FunctionApp;
import io.sequencer.local.StagedApp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The benchmark harness (docs/BENCHMARKS.md): its own in-memory Azurite, the staged app on the local host in
 * this JVM, and a local webhook sink; prints every figure of DESIGN.md section 5 as the median of several runs
 * with min and max, writes {@code report.md} and {@code lateness.png} to the output folder.
 */
public final class BenchHarness {
    private static final String COMMAND = "./run bench   (= mvn -B -Pbench -DskipTests verify)";
    private static final double MIB = 1024.0 * 1024;
    /** The kinds of storage request a delivered step makes, in order: the trigger's get first, its delete last. */
    private static final List<String> WAITED_KINDS = List.of("trigger queue GET messages", "table GET row",
            "queue POST messages", "table POST $batch", "trigger queue DELETE message");

    private final BenchOptions options;
    private final BenchReport report = new BenchReport();
    private final List<String> phaseSeconds = new ArrayList<>();
    private final BenchAzurite azurite;
    private final EmulatorWatch watch;
    private final DeliverySink sink;
    private final StagedApp.QueueOptions queueOptions;
    private Spread baselineRate = Spread.of(List.of());
    private Spread deliveryRate = Spread.of(List.of());
    private Spread enrollRate = Spread.of(List.of());
    private Spread batchEnrollRate = Spread.of(List.of());

    private BenchHarness(BenchOptions options, BenchAzurite azurite, EmulatorWatch watch, DeliverySink sink) {
        this.options = options;
        this.azurite = azurite;
        this.watch = watch;
        this.sink = sink;
        this.queueOptions = BenchHost.queueOptions();
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        // The JDK's HTTP client (the API caller, the queue target proxy) keeps idle connections 20 minutes by
        // default; the bench Azurite closes them after 30 s, which would fail a request sent on one just then.
        // Read once, when the client's connection pool is first loaded: so before any client exists.
        System.setProperty("jdk.httpclient.keepalive.timeout", "20");
        io.sequencer.functions.TickFunction.NAMES.forEach(name ->
                java.util.logging.Logger.getLogger("Function." + name).setLevel(java.util.logging.Level.WARNING));
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        BenchOptions options = BenchOptions.parse(args);
        Machine machine = Machine.current();
        System.out.println("Machine: " + machine.describe());
        double loadBefore = Machine.loadAverage();
        long started = System.nanoTime();
        Path project = Path.of(System.getProperty("sequencer.projectDir", ".")).toAbsolutePath();
        try (BenchAzurite azurite = new BenchAzurite(project); EmulatorWatch watch = new EmulatorWatch(azurite.clients());
             DeliverySink sink = new DeliverySink()) {
            BenchHarness harness = new BenchHarness(options, azurite, watch, sink);
            harness.runAll();
            harness.report.note(watch.summary());
            double minutes = (System.nanoTime() - started) / 60e9;
            harness.report.note(String.format("harness wall time %.1f min (%s); 1-minute load average %.2f before, %.2f after",
                    minutes, String.join(", ", harness.phaseSeconds), loadBefore, Machine.loadAverage()));
            System.out.println();
            System.out.print(harness.report.text());
            harness.report.write(options.out().resolve("report.md"), machine.describe(), COMMAND);
            System.out.println("Written: " + options.out().resolve("report.md") + ", " + options.out().resolve("lateness.png"));
        }
        System.exit(0);
    }

    private void runAll() throws Exception {
        int parallel = queueOptions.batchSize() + queueOptions.newBatchThreshold();
        report.note("webhook receiver: " + DeliverySink.CONNECTIONS.describe());
        report.note("trigger: batchSize " + queueOptions.batchSize() + ", newBatchThreshold " + queueOptions.newBatchThreshold()
                + " (" + parallel + " invocations at once); HTTP callers: " + options.parallelCallers());
        if (options.runs("baseline") || options.runs("e2e")) {
            timed("throughput", this::throughput);
        }
        // Lateness right after the maximum it is a fraction of, on the same emulator: the enroll part leaves
        // hundreds of thousands of rows in the table emulator, whose reads and writes slow as its tables grow.
        if (options.runs("lateness")) {
            timed("lateness", this::lateness);
        }
        if (options.runs("enroll")) {
            timed("batch enroll", this::batchEnroll);
        }
        if (options.runs("population")) {
            timed("population", this::population);
        }
        if (options.runs("startup")) {
            timed("start-up", this::startup);
        }
        if (options.runs("emulator-gc")) {
            timed("emulator-gc", this::emulatorGc);
        }
        if (options.runs("import")) {
            timed("import", this::importRows);
        }
        if (options.runs("opcosts")) {
            timed("opcosts", this::operationCosts);
        }
        if (options.runs("shards")) {
            timed("shards", () -> ShardComparison.report(new ShardComparison(azurite, sink, options).run(), report,
                    options.subscribers(), options.queueTarget()));
        }
    }

    private interface Phase {
        void run() throws Exception;
    }

    /** Runs {@code phase} and notes its wall time, so the whole run's budget can be accounted for. */
    private void timed(String name, Phase phase) throws Exception {
        long start = System.nanoTime();
        phase.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("phase %s took %.0f s; %s%n", name, seconds, watch.summary());
        phaseSeconds.add(String.format("%s %.0f s", name, seconds));
    }

    /**
     * Baseline and end-to-end runs interleaved, after one discarded warm-up of each, so that JIT warm-up and the
     * emulator's own drift weigh on both alike.
     */
    private void throughput() throws Exception {
        int depth = options.subscribers();
        int puts = depth * (EndToEndThroughput.STEPS - 1);
        BaselineQueueCycles baseline = new BaselineQueueCycles(azurite, queueOptions);
        EndToEndThroughput e2e = new EndToEndThroughput(azurite, sink, options.parallelCallers());
        if (options.runs("baseline")) {
            baseline.run("bench-baseline", depth, puts);
        }
        if (options.runs("e2e")) {
            e2e.run("e2e-warmup", options.subscribers());
        }
        System.out.println("warm-up done");
        List<Double> baselineRates = new ArrayList<>();
        List<ProcessorShare.Cores> baselineCores = new ArrayList<>();
        List<Integer> baselineCycles = new ArrayList<>();
        List<EndToEndThroughput.Result> results = new ArrayList<>();
        for (int run = 1; run <= options.runs(); run++) {
            if (options.runs("baseline")) {
                BaselineQueueCycles.Result r = baseline.run("bench-baseline", depth, puts);
                ProcessorShare.Cores cores = r.cores();
                baselineCores.add(cores);
                System.out.printf("baseline run %d: %d cycles in %.1f s = %.0f/s (%d queue transactions); %s%n",
                        run, r.cycles(), r.seconds(), r.cyclesPerSecond(), r.transactions(), cores);
                baselineRates.add(r.cyclesPerSecond());
                baselineCycles.add(r.cycles());
            }
            if (options.runs("e2e")) {
                EndToEndThroughput.Result r = e2e.run("e2e-" + run, options.subscribers());
                System.out.printf("e2e run %d: enrolled %d in %.1f s (%.0f/s; batch %.0f/s); %d deliveries (%d distinct) in"
                                + " %.1f s = %.0f/s; app queue %d, app table %d, trigger %d transactions; first delivery %d ms"
                                + " after start; harness JVM %.1f ms processor time per delivery (host start and stop"
                                + " included); %s%n",
                        run, r.subscribers(), r.enrollSeconds(), r.enrollsPerSecond(), r.batchEnrollsPerSecond(),
                        r.deliveries(), r.distinctDeliveries(),
                        r.seconds(), r.deliveriesPerSecond(), r.appQueueTransactions(), r.appTableTransactions(),
                        r.triggerQueueTransactions(), r.coldStartMillis(), r.cpuMillisPerDelivery(),
                        r.cores());
                results.add(r);
            }
        }
        baselineRate = Spread.of(baselineRates);
        if (options.runs("baseline")) {
            report.add("raw queue put+get+delete cycles/s (depth " + depth + ", " + puts + " puts)", baselineRate.format(0),
                    "-", "baseline");
            report.add("cores busy in the baseline: harness JVM (its JIT compiler) / queue emulator / table emulator",
                    ProcessorShare.medians(baselineCores), "", "");
            report.add("processor time per raw cycle, ms: harness JVM (its JIT compiler) / queue emulator"
                    + " / table emulator / all three", ProcessorShare.millisPer(baselineCores, baselineCycles), "", "");
        }
        if (options.runs("e2e")) {
            endToEndFigures(results, baselineRates);
        }
    }

    private void endToEndFigures(List<EndToEndThroughput.Result> results, List<Double> baselineRates) {
        deliveryRate = spread(results, EndToEndThroughput.Result::deliveriesPerSecond);
        enrollRate = spread(results, EndToEndThroughput.Result::enrollsPerSecond);
        batchEnrollRate = spread(results, EndToEndThroughput.Result::batchEnrollsPerSecond);
        Spread ratio = Spread.of(overBaseline(
                results.stream().map(EndToEndThroughput.Result::deliveriesPerSecond).toList(), baselineRates));
        report.add("end-to-end deliveries/s (" + options.subscribers() + " subscribers x " + EndToEndThroughput.STEPS + " steps)",
                deliveryRate.format(0), "÷ baseline: " + (baselineRate.runs() == 0 ? "n/a" : ratio.format(2)), ">= 0.6");
        Spread appQueue = spread(results, r -> r.appQueueTransactions() / (double) r.deliveries());
        Spread appTable = spread(results, r -> r.appTableTransactions() / (double) r.deliveries());
        Spread trigger = spread(results, r -> r.triggerQueueTransactions() / (double) r.deliveries());
        Spread total = spread(results, r -> (r.appQueueTransactions() + r.appTableTransactions() + r.triggerQueueTransactions())
                / (double) r.deliveries());
        report.add("storage transactions per delivered step: queue (app)", appQueue.format(2), "", "");
        report.add("storage transactions per delivered step: tables (app)", appTable.format(2), "", "");
        report.add("storage transactions per delivered step: queue (trigger get+delete)", trigger.format(2), "", "");
        report.add("storage transactions per delivered step: total", total.format(2), "floor ≈ 4", "<= 5");
        report.add("storage request time end to end, ms per request (sent to answered, under this load): "
                        + String.join(" / ", WAITED_KINDS), waitedMillis(results), "", "");
        List<ProcessorShare.Cores> cores = results.stream().map(EndToEndThroughput.Result::cores).toList();
        List<Integer> deliveries = results.stream().map(EndToEndThroughput.Result::deliveries).toList();
        report.add("cores busy end to end (host up to last delivery): harness JVM (its JIT compiler) / queue emulator"
                        + " / table emulator",
                ProcessorShare.medians(cores), "of " + Runtime.getRuntime().availableProcessors(), "");
        report.add("processor time per delivered step, ms: harness JVM (its JIT compiler) / queue emulator"
                        + " / table emulator / all three",
                ProcessorShare.millisPer(cores, deliveries), "the sink and the local host included", "");
        List<Double> ceilings = ProcessorShare.ceilings(cores, deliveries);
        report.add("end-to-end ceiling on these cores: deliveries/s with every core busy at this processor time"
                        + " per step",
                Spread.ofKnown(ceilings).format(0),
                "÷ baseline: " + (baselineRate.runs() == 0 ? "n/a"
                        : Spread.ofKnown(overBaseline(ceilings, baselineRates)).format(2)), "");
        report.add("enroll subscribers/s through the HTTP API (one PUT each, " + options.parallelCallers() + " callers)",
                enrollRate.format(0), "", "");
        report.add("batch enroll of the same subscribers, known now, into a second sequence (POST subscribers:batch, "
                        + EndToEndThroughput.BATCH + " per request; each alone)", batchEnrollRate.format(0), "", "");
    }

    /**
     * Run k's figure over run k's baseline: the runs are interleaved, so both of a pair saw the same emulator state.
     */
    private static List<Double> overBaseline(List<Double> perRun, List<Double> baselineRates) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(perRun.size(), baselineRates.size()); i++) {
            ratios.add(perRun.get(i) / baselineRates.get(i));
        }
        return ratios;
    }

    /** The median over runs of each kind's mean time, "n/a" for a kind a run did not make. */
    private static String waitedMillis(List<EndToEndThroughput.Result> results) {
        List<String> figures = new ArrayList<>();
        for (String kind : WAITED_KINDS) {
            figures.add(Spread.ofKnown(results.stream().map(r -> r.requestTimes().get(kind)).filter(Objects::nonNull)
                    .map(StorageTransactionCounter.RequestTimes::meanMillis).toList()).format(1));
        }
        return String.join(" / ", figures);
    }

    private void lateness() throws Exception {
        if (deliveryRate.runs() == 0) {
            throw new IllegalStateException("lateness needs the end-to-end maximum: run e2e too");
        }
        double max = deliveryRate.median();
        List<LatenessChart.Point> points = new ArrayList<>();
        int retried = 0;
        int deliveredInAll = 0;
        try (BenchHost host = BenchHost.start(azurite, BenchHost.Functions.ALL);
             TickQueueDepth depth = new TickQueueDepth(azurite.clients())) {
            ApiClient api = new ApiClient(host.baseUrl());
            LatenessAtRate lateness = new LatenessAtRate(api, sink, options.parallelCallers(), enrollRate.median(),
                    options.latenessScheduling(), options.latenessLeadSeconds());
            StorageClients storage = FunctionApp.get().storage();
            String scheduling = LatenessAtRate.Result.scheduling(options.latenessScheduling(),
                    options.latenessLeadSeconds());
            for (double fraction : options.rateFractions()) {
                double rate = max * fraction;
                List<Percentiles> runs = new ArrayList<>();
                List<Double> heapPeaks = new ArrayList<>();
                List<Double> heapLive = new ArrayList<>();
                List<Double> depths = new ArrayList<>();
                List<Double> offered = new ArrayList<>();
                for (int run = 1; run <= options.runs(); run++) {
                    HeapHighWater.reset();
                    long queueBefore = storage.queueTransactions();
                    long tableBefore = storage.tableTransactions();
                    ProcessorShare share = ProcessorShare.start(azurite);
                    LatenessAtRate.Result r = lateness.run(String.format("lat%03d-%d", Math.round(fraction * 100), run),
                            rate, options.windowSeconds(fraction));
                    heapPeaks.add(HeapHighWater.peakBytes() / MIB);
                    heapLive.add(HeapHighWater.liveAfterFullGcBytes() / MIB);
                    OptionalInt deepest = depth.deepest(r.windowStartMillis(),
                            r.windowStartMillis() + (long) (r.windowSeconds() * 1000));
                    deepest.ifPresent(d -> depths.add((double) d));
                    Percentiles p = r.lateness();
                    offered.add(r.achievedOfferedRate());
                    retried += r.retried();
                    deliveredInAll += r.delivered();
                    System.out.printf("lateness at %.0f/s (%.2f x max, %s) run %d: offered %.1f/s, %d/%d delivered, %d not"
                                    + " on attempt 1; p50 %d, p95 %d, p99 %d, max %d ms; heap peak %.0f MiB; app %.2f queue +"
                                    + " %.2f table transactions per step (enrolls included); tick queue at most %s deep in"
                                    + " the window%s; over the run, %s%n", rate, fraction, scheduling, run,
                            r.achievedOfferedRate(), r.delivered(), r.expected(), r.retried(), p.p50(), p.p95(), p.p99(), p.max(),
                            heapPeaks.get(heapPeaks.size() - 1),
                            (storage.queueTransactions() - queueBefore) / (double) r.expected(),
                            (storage.tableTransactions() - tableBefore) / (double) r.expected(),
                            deepest.isPresent() ? Integer.toString(deepest.getAsInt()) : "n/a (no sample)",
                            r.enrollRequests() == 0 ? "" : String.format("; %d batch enrolls in the window, slowest %d ms",
                                    r.enrollRequests(), r.slowestEnrollMillis()), share.cores());
                    runs.add(p);
                }
                Spread p50 = Spread.of(runs.stream().map(p -> (double) p.p50()).toList());
                Spread p95 = Spread.of(runs.stream().map(p -> (double) p.p95()).toList());
                Spread p99 = Spread.of(runs.stream().map(p -> (double) p.p99()).toList());
                Spread worst = Spread.of(runs.stream().map(p -> (double) p.max()).toList());
                points.add(new LatenessChart.Point(rate, p50.median(), p95.median(), p99.median(), worst.median()));
                String label = String.format("lateness ms at %.0f/s offered (%.2f x max), %d runs of %d s, %s", rate,
                        fraction, options.runs(), options.windowSeconds(fraction), scheduling);
                report.add(label + ": p50 / p95", p50.format(0) + " / " + p95.format(0), "", "");
                report.add(label + ": p99 / max", p99.format(0) + " / " + worst.format(0), "",
                        fraction == 0.5 ? "p99 <= 1000" : fraction == 0.9 ? "p99 <= 2000" : "");
                report.add(label + ": rate the due times offered, per second",
                        Spread.of(offered).format(1), "a chain falls short when it is late", "");
                report.add(label + ": tick queue depth at most, within the window", Spread.of(depths).format(0),
                        "hidden messages included", "");
                if (fraction == 0.5) {
                    report.add("heap high-water MiB at 0.5 x max (sum of heap pool peaks, harness JVM)",
                            Spread.of(heapPeaks).format(0), String.format("max heap %.0f MiB", HeapHighWater.maxHeapBytes() / MIB),
                            "<= 256");
                    report.add("live heap MiB after a full GC at the end of each 0.5 x max run", Spread.of(heapLive).format(0),
                            "", "");
                }
            }
        }
        report.add("lateness runs: deliveries that reached the receiver on a later attempt than their first",
                retried + " of " + deliveredInAll, "receiver: HTTP/1.0, closes silently", "0");
        LatenessChart.write(points, max, options.out().resolve("lateness.png"));
    }

    private void population() throws Exception {
        PopulationCost cost = new PopulationCost(azurite.connectionString(), sink.url(), "bench-pop-ticks");
        StorageClients raw = azurite.clients();
        RawTableInserts inserts = new RawTableInserts(raw.table(StorageNames.ENROLLMENTS_TABLE), PopulationCost.partition(),
                options.parallelCallers());
        int small = Math.min(10_000, options.population());
        RawTableInserts.Result first = inserts.write(0, small, 3600);
        System.out.printf("population: wrote %d entities in %.1f s (%.0f/s)%n", first.written(), first.seconds(), first.entitiesPerSecond());
        List<PopulationCost.Probe> smallProbes = probes(cost, small);
        RawTableInserts.Result more = inserts.write(small, options.population(), options.populationBudgetSeconds());
        int large = small + more.written();
        System.out.printf("population: wrote %d more entities in %.1f s (%.0f/s); %d stored%n", more.written(), more.seconds(),
                more.entitiesPerSecond(), large);
        List<PopulationCost.Probe> largeProbes = probes(cost, large);

        Spread insertRate = Spread.of(first.entitiesPerSecond(), more.entitiesPerSecond());
        report.add("raw table batch insert entities/s (100-entity batches, " + options.parallelCallers() + " writers)",
                insertRate.format(0), "", "");
        for (var probes : List.of(smallProbes, largeProbes)) {
            int population = probes.get(0).population();
            report.add(String.format("tick with %,d enrollments stored: transactions (queue + table)", population),
                    spreadOf(probes, p -> p.tickQueueTransactions() + p.tickTableTransactions()).format(2),
                    "queue " + spreadOf(probes, PopulationCost.Probe::tickQueueTransactions).format(2)
                            + ", table " + spreadOf(probes, PopulationCost.Probe::tickTableTransactions).format(2), "equal");
            report.add(String.format("tick with %,d enrollments stored: ms per tick (one at a time)", population),
                    spreadOf(probes, PopulationCost.Probe::tickMillis).format(1), "", "");
            report.add(String.format("enroll with %,d enrollments stored: transactions / ms (engine, one at a time)", population),
                    spreadOf(probes, PopulationCost.Probe::enrollTransactions).format(2) + " / "
                            + spreadOf(probes, PopulationCost.Probe::enrollMillis).format(1), "", "");
            report.note(String.format("port time per tick at %,d stored (ms, last probe round): %s", population,
                    describe(probes.get(probes.size() - 1).tickPortMillis(), probes.get(0).probes())));
        }
        if (large < options.population()) {
            report.note(String.format("population target %,d not reached: %,d written within the %d s budget",
                    options.population(), large, options.populationBudgetSeconds()));
        }
    }

    private List<PopulationCost.Probe> probes(PopulationCost cost, int population) {
        List<PopulationCost.Probe> probes = new ArrayList<>();
        for (int round = 1; round <= options.runs(); round++) {
            PopulationCost.Probe p = cost.probe(population, "probe-" + population + "-" + round, options.probes());
            System.out.printf("population %d round %d: tick %.2f queue + %.2f table transactions, %.1f ms; enroll %.2f"
                            + " transactions, %.1f ms%n", population, round, p.tickQueueTransactions(), p.tickTableTransactions(),
                    p.tickMillis(), p.enrollTransactions(), p.enrollMillis());
            probes.add(p);
        }
        return probes;
    }

    private static String describe(Map<String, double[]> timings, int ticks) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(timings).forEach((call, t) -> out.append(String.format("%s %.1f (x%.2f), ", call, t[0] / ticks, t[1] / ticks)));
        return out.length() == 0 ? "none" : out.substring(0, out.length() - 2);
    }

    private void startup() throws Exception {
        StartupProbe probe = new StartupProbe(Path.of(System.getProperty("sequencer.projectDir", ".")).toAbsolutePath(),
                BenchHost.stagedApp().toAbsolutePath(), azurite.connectionString());
        List<Double> millis = new ArrayList<>();
        for (int run = 1; run <= options.runs(); run++) {
            long ms = probe.measure();
            System.out.printf("start-up run %d: %d ms to the first 200 on /api/health%n", run, ms);
            millis.add((double) ms);
        }
        report.add("local host: child JVM start to first HTTP 200 on /api/health (ms)", Spread.of(millis).format(0), "",
                "<= 2000");
    }

    /**
     * Batch enrolls of {@code --enroll-subscribers} new subscribers, each run into a sequence of its own, beside the
     * raw table batch insert rate measured just before it on the same emulator.
     */
    private void batchEnroll() throws Exception {
        BatchEnrollThroughput bench = new BatchEnrollThroughput(azurite, sink.url(), options.parallelCallers());
        bench.run("enroll-warmup", Math.min(2_000, options.enrollSubscribers()));
        List<BatchEnrollThroughput.Result> results = new ArrayList<>();
        for (int run = 1; run <= options.runs(); run++) {
            BatchEnrollThroughput.Result r = bench.run("enroll-" + run, options.enrollSubscribers());
            System.out.printf("batch enroll run %d: %d subscribers in %.1f s (%.0f/s); raw batch insert %.0f entities/s;"
                            + " ratio %.3f; per subscriber %.3f table + %.3f queue transactions; enroll %s; raw insert %s%n",
                    run, r.subscribers(), r.seconds(), r.subscribersPerSecond(), r.rawEntitiesPerSecond(), r.ratio(),
                    r.tablePerSubscriber(), r.queuePerSubscriber(), r.cores(), r.rawCores());
            System.out.printf("batch enroll run %d: raw insert of rows shaped as its profiles %.0f/s, as its enrollments"
                    + " %.0f/s%n", run, r.rawProfilesPerSecond(), r.rawEnrollmentsPerSecond());
            results.add(r);
        }
        report.add(String.format("batch enroll of %,d new subscribers (POST subscribers:batch, %d per request, %d callers):"
                        + " subscribers/s", options.enrollSubscribers(), BatchEnrollThroughput.PER_REQUEST,
                        options.parallelCallers()),
                Spread.of(results.stream().map(BatchEnrollThroughput.Result::subscribersPerSecond).toList()).format(0),
                "first step a day away (parked)", "");
        report.add("raw table batch insert entities/s just before each (100-entity batches, " + options.parallelCallers()
                        + " writers)",
                Spread.of(results.stream().map(BatchEnrollThroughput.Result::rawEntitiesPerSecond).toList()).format(0), "", "");
        report.add("batch enroll ratio: subscribers/s ÷ raw batch insert entities/s (each run against its own)",
                Spread.of(results.stream().map(BatchEnrollThroughput.Result::ratio).toList()).format(3), "", ">= 0.5");
        report.add("batch enroll: storage transactions per subscriber (table / queue)", String.format("%s / %s",
                Spread.of(results.stream().map(BatchEnrollThroughput.Result::tablePerSubscriber).toList()).format(3),
                Spread.of(results.stream().map(BatchEnrollThroughput.Result::queuePerSubscriber).toList()).format(3)),
                "", "");
        report.add("raw table batch insert entities/s after each, of rows shaped as the enroll's profiles / enrollments",
                spread(results, BatchEnrollThroughput.Result::rawProfilesPerSecond).format(0) + " / "
                        + spread(results, BatchEnrollThroughput.Result::rawEnrollmentsPerSecond).format(0), "", "");
        report.add("cores busy in batch enroll: harness JVM (its JIT compiler) / queue emulator / table emulator",
                ProcessorShare.medians(results.stream().map(BatchEnrollThroughput.Result::cores).toList()), "", "");
        report.add("cores busy in the raw batch insert: harness JVM (its JIT compiler) / queue emulator"
                        + " / table emulator",
                ProcessorShare.medians(results.stream().map(BatchEnrollThroughput.Result::rawCores).toList()), "", "");
    }

    /**
     * An import of {@code --import-rows} subscribers (opt-in: a few minutes), beside the raw table batch insert rate of
     * the same run, with one writer (as one import applies its pages one after the other) and with the HTTP callers'
     * parallelism.
     */
    private void importRows() throws Exception {
        StorageClients raw = azurite.clients();
        String table = "benchrawimport";
        raw.ensureExists("bench-raw-import", table);
        int sample = Math.min(20_000, options.importRows());
        RawTableInserts.Result one = new RawTableInserts(raw.table(table), "raw-one", 1).write(0, sample, 600);
        RawTableInserts.Result many = new RawTableInserts(raw.table(table), "raw-many", options.parallelCallers())
                .write(0, sample, 600);
        System.out.printf("import: raw batch insert %.0f entities/s with 1 writer, %.0f/s with %d%n",
                one.entitiesPerSecond(), many.entitiesPerSecond(), options.parallelCallers());
        ImportThroughput.Result r = new ImportThroughput(azurite).run("bench-import", options.importRows());
        System.out.printf("import: %d rows in %.1f s (%.0f rows/s); heap peak %.0f MiB, live %.0f MiB; %d table and %d"
                        + " queue transactions%n", r.rows(), r.seconds(), r.rowsPerSecond(), r.heapPeakMiB(),
                r.heapLiveMiB(), r.tableTransactions(), r.queueTransactions());
        report.add(String.format("import of %,d CSV rows (POST subscribers:import, parts of %,d rows) until completed:"
                        + " rows/s", r.rows(), ImportThroughput.ROWS_PER_PART),
                String.format("%.0f", r.rowsPerSecond()), String.format("%.1f s", r.seconds()), "");
        report.add("raw table batch insert entities/s (100-entity batches): 1 writer / " + options.parallelCallers()
                        + " writers", String.format("%.0f / %.0f", one.entitiesPerSecond(), many.entitiesPerSecond()),
                "", "");
        report.add("import ratio: import rows/s ÷ raw batch insert entities/s, 1 writer / " + options.parallelCallers()
                        + " writers", String.format("%.3f / %.3f", r.rowsPerSecond() / one.entitiesPerSecond(),
                        r.rowsPerSecond() / many.entitiesPerSecond()),
                "one import applies its pages one after the other", "");
        report.add("import: storage transactions per 100 rows (table / queue)", String.format("%.2f / %.2f",
                100.0 * r.tableTransactions() / r.rows(), 100.0 * r.queueTransactions() / r.rows()), "", "");
        report.add("import: heap high-water MiB (sum of heap pool peaks, harness JVM) / live after a full GC",
                String.format("%.0f / %.0f", r.heapPeakMiB(), r.heapLiveMiB()),
                String.format("max heap %.0f MiB", HeapHighWater.maxHeapBytes() / MIB), "<= 256");
    }

    /** What each kind of storage request costs the emulator ({@link EmulatorOpCosts}), each run on fresh names. */
    private void operationCosts() throws Exception {
        EmulatorOpCosts costs = new EmulatorOpCosts(azurite);
        List<List<EmulatorOpCosts.Cost>> runs = new ArrayList<>();
        for (int run = 1; run <= options.runs(); run++) {
            List<EmulatorOpCosts.Cost> measured = costs.run("benchopcosts" + run);
            for (EmulatorOpCosts.Cost c : measured) {
                System.out.printf("opcosts run %d: %s: %d in %s, %.2f ms of the %s emulator's processor time each,"
                        + " %.0f/s%n", run, c.operation(), c.operations(), EmulatorOpCosts.CALLERS + " callers",
                        c.emulatorMillisPerOperation(), c.emulator(), c.operationsPerSecond());
            }
            runs.add(measured);
        }
        EmulatorOpCosts.byOperation(runs).forEach((operation, measured) -> report.add(
                "emulator processor time per request, ms (" + EmulatorOpCosts.CALLERS + " callers): " + operation,
                Spread.ofKnown(measured.stream().map(EmulatorOpCosts.Cost::emulatorMillisPerOperation).toList())
                        .format(2),
                Spread.ofKnown(measured.stream().map(EmulatorOpCosts.Cost::operationsPerSecond).toList()).format(0)
                        + " requests/s", ""));
    }

    /** The emulator stall, in memory and on disk, each on an emulator of its own (opt-in: about 3 minutes). */
    private void emulatorGc() throws Exception {
        Path project = Path.of(System.getProperty("sequencer.projectDir", ".")).toAbsolutePath();
        for (boolean inMemory : List.of(true, false)) {
            EmulatorGcStall.Result r = EmulatorGcStall.run(project, inMemory, EmulatorGcStall.MESSAGES);
            System.out.printf("emulator-gc %s: cycled %d queue messages in %.1f s; slowest answer %d ms, %.0f s after start%n",
                    r.storage(), r.messages(), r.cycleSeconds(), r.slowestAnswerMillis(), r.slowestAtSeconds());
            report.add(String.format("Azurite queues %s: slowest answer within %d s of start, after cycling %,d messages (ms)",
                    r.storage(), EmulatorGcStall.WATCH_UNTIL.toSeconds(), r.messages()),
                    Long.toString(r.slowestAnswerMillis()), String.format("at %.0f s", r.slowestAtSeconds()), "");
        }
    }

    private static <T> Spread spread(List<T> results, ToDoubleFunction<T> figure) {
        return Spread.of(results.stream().map(figure::applyAsDouble).toList());
    }

    private static Spread spreadOf(List<PopulationCost.Probe> probes, ToDoubleFunction<PopulationCost.Probe> figure) {
        return spread(probes, figure);
    }
}
