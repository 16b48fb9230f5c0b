package io.sequencer.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Command-line options of the harness, with defaults that keep a whole run under 10 minutes on 2 cores. */
record BenchOptions(int runs, int subscribers, int parallelCallers, int latenessSeconds, int maxRateSeconds,
                    List<Double> rateFractions, int population, int populationBudgetSeconds, int probes, Set<String> only,
                    Path out, int importRows, int enrollSubscribers, int queueTarget, int latenessLeadSeconds,
                    LatenessAtRate.Scheduling latenessScheduling) {

    static final Set<String> PARTS = Set.of("baseline", "e2e", "enroll", "lateness", "population", "startup");

    static BenchOptions parse(String[] args) {
        int runs = 3;
        int subscribers = 300;
        int parallel = 16;
        int lateness = 20;
        int maxRate = 10;
        List<Double> fractions = List.of(0.5, 0.9, 1.0);
        int population = 1_000_000;
        int budget = 60;
        int probes = 100;
        Set<String> only = PARTS;
        Path out = Path.of("target/bench");
        int importRows = 200_000;
        int enrollSubscribers = 20_000;
        int queueTarget = 60;
        int latenessLead = 2;
        LatenessAtRate.Scheduling scheduling = LatenessAtRate.Scheduling.CHAIN;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.isBlank()) {
                continue;
            }
            switch (arg) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--subscribers" -> subscribers = Integer.parseInt(args[++i]);
                case "--parallel" -> parallel = Integer.parseInt(args[++i]);
                case "--lateness-seconds" -> lateness = Integer.parseInt(args[++i]);
                case "--max-rate-seconds" -> maxRate = Integer.parseInt(args[++i]);
                case "--rates" -> {
                    List<Double> parsed = new ArrayList<>();
                    for (String f : args[++i].split(",")) {
                        parsed.add(Double.parseDouble(f));
                    }
                    fractions = List.copyOf(parsed);
                }
                case "--population" -> population = Integer.parseInt(args[++i]);
                case "--population-budget" -> budget = Integer.parseInt(args[++i]);
                case "--probes" -> probes = Integer.parseInt(args[++i]);
                case "--only" -> only = Set.of(args[++i].split(","));
                case "--out" -> out = Path.of(args[++i]);
                case "--import-rows" -> importRows = Integer.parseInt(args[++i]);
                case "--enroll-subscribers" -> enrollSubscribers = Integer.parseInt(args[++i]);
                case "--queue-target" -> queueTarget = Integer.parseInt(args[++i]);
                case "--lateness-lead" -> latenessLead = Integer.parseInt(args[++i]);
                case "--lateness-scheduling" -> scheduling = scheduling(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + arg + "; options: --runs N --subscribers N"
                        + " --parallel N --lateness-seconds S --lateness-scheduling chain|enroll|ahead (chain: each subscriber's steps S s"
                        + " apart, put by the tick before; enroll: each step enrolled S s before due, in the window; ahead: all"
                        + " enrolled before the window) --lateness-lead S --max-rate-seconds S --rates 0.5,0.9,1 --population N --population-budget S"
                        + " --probes N --only " + String.join(",", PARTS) + "[,emulator-gc][,import][,opcosts][,shards]"
                        + " --import-rows N --enroll-subscribers N"
                        + " --queue-target N (shards: message operations/s per queue; 0 = none) --out DIR");
            }
        }
        if (latenessLead < 1) {
            throw new IllegalArgumentException("--lateness-lead must be 1 or more seconds");
        }
        return new BenchOptions(runs, subscribers, parallel, lateness, maxRate, fractions, population, budget, probes, only, out,
                importRows, enrollSubscribers, queueTarget, latenessLead, scheduling);
    }

    private static LatenessAtRate.Scheduling scheduling(String name) {
        try {
            return LatenessAtRate.Scheduling.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--lateness-scheduling takes chain, enroll or ahead, not " + name);
        }
    }

    /** The window of one lateness run at {@code fraction} of the maximum: shorter at the maximum, which queues up. */
    int windowSeconds(double fraction) {
        return fraction >= 1.0 ? maxRateSeconds : latenessSeconds;
    }

    boolean runs(String part) {
        return only.contains(part);
    }
}
