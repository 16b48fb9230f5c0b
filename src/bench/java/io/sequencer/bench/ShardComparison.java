package io.sequencer.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One timer shard against two in the same run (opt-in part {@code shards}): for each, the end-to-end maximum
 * (deliveries/s, {@code runs} runs after one warm-up, the two interleaved), then the lateness at one offered rate,
 * the same for both: 0.9 of the one-shard maximum, which one queue only just keeps up with. Each shard has its trigger, so two shards
 * also take twice the trigger's invocations at once, as on Azure, where each function scales by its own queue.
 */
final class ShardComparison {
    static final List<Integer> SHARDS = List.of(1, 2);
    static final double RATE_FRACTION = 0.9;

    /** {@code triggerTransactions}: the triggers' gets and deletes per delivered step. */
    record Result(int shards, Spread deliveriesPerSecond, Spread triggerTransactions, double offeredRate,
                  LatenessAtRate.Result lateness) {}

    private final BenchAzurite azurite;
    private final DeliverySink sink;
    private final BenchOptions options;

    ShardComparison(BenchAzurite azurite, DeliverySink sink, BenchOptions options) {
        this.azurite = azurite;
        this.sink = sink;
        this.options = options;
    }

    List<Result> run() throws Exception {
        Map<Integer, EndToEndThroughput> e2e = new LinkedHashMap<>();
        Map<Integer, List<Double>> rates = new LinkedHashMap<>();
        Map<Integer, List<Double>> enrolls = new LinkedHashMap<>();
        Map<Integer, List<Double>> triggerTransactions = new LinkedHashMap<>();
        for (int shards : SHARDS) {
            triggerTransactions.put(shards, new ArrayList<>());
            e2e.put(shards, new EndToEndThroughput(azurite, sink, options.parallelCallers(), Optional.of(shards)));
            e2e.get(shards).run("shards" + shards + "-warmup", options.subscribers());
            rates.put(shards, new ArrayList<>());
            enrolls.put(shards, new ArrayList<>());
        }
        // Interleaved, so that the emulator's drift over the run weighs on each shard count alike.
        for (int run = 1; run <= options.runs(); run++) {
            for (int shards : SHARDS) {
                EndToEndThroughput.Result r = e2e.get(shards).run("shards" + shards + "-e2e-" + run, options.subscribers());
                double perStep = r.triggerQueueTransactions() / (double) r.deliveries();
                System.out.printf("shards %d e2e run %d: %d deliveries in %.1f s = %.0f/s; trigger %.2f transactions per"
                        + " step%n", shards, run, r.deliveries(), r.seconds(), r.deliveriesPerSecond(), perStep);
                triggerTransactions.get(shards).add(perStep);
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
        double rate = maxima.get(SHARDS.get(0)).median() * RATE_FRACTION;
        List<Result> results = new ArrayList<>();
        for (int shards : SHARDS) {
            try (BenchHost host = BenchHost.start(azurite, BenchHost.Functions.ALL, Optional.of(shards))) {
                LatenessAtRate lateness = new LatenessAtRate(new ApiClient(host.baseUrl()), sink, options.parallelCallers(),
                        enrollRates.get(shards));
                LatenessAtRate.Result r = lateness.run("shards" + shards + "-lat", rate, options.latenessSeconds());
                Percentiles p = r.lateness();
                System.out.printf("shards %d lateness at %.0f/s: %d/%d delivered; p50 %d, p95 %d, p99 %d, max %d ms%n",
                        shards, rate, r.delivered(), r.expected(), p.p50(), p.p95(), p.p99(), p.max());
                results.add(new Result(shards, maxima.get(shards), Spread.of(triggerTransactions.get(shards)), rate, r));
            }
        }
        return results;
    }

    /** Adds each shard count's figures to {@code report}. */
    static void report(List<Result> results, BenchReport report, int subscribers) {
        for (Result r : results) {
            Percentiles p = r.lateness().lateness();
            report.add(String.format("%d timer shard(s): end-to-end deliveries/s (%d subscribers x %d steps)", r.shards(),
                    subscribers, EndToEndThroughput.STEPS), r.deliveriesPerSecond().format(0),
                    "trigger get+delete per step " + r.triggerTransactions().format(2), "");
            report.add(String.format("%d timer shard(s): lateness ms at %.0f/s offered (%.1f x the 1-shard max):"
                            + " p50 / p99 / max", r.shards(), r.offeredRate(), RATE_FRACTION),
                    p.p50() + " / " + p.p99() + " / " + p.max(),
                    r.lateness().delivered() + " of " + r.lateness().expected() + " delivered", "");
        }
    }
}
