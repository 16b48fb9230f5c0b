package io.sequencer.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * How many of the machine's cores the harness JVM (the app on the local host, the sink and the harness) and the two
 * emulator processes kept busy over one measured interval. The ratios of the design compare the app with the raw
 * emulator on the same cores, so they mean most beside who used the cores: a run with every core busy is bound by
 * the machine, and a process at one full core (Node runs the emulator's requests on one thread) is bound by itself.
 */
final class ProcessorShare {
    /** Linux's USER_HZ, the unit of /proc's processor times: 100 on every architecture the JDK runs on here. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    /** Each NaN where that process's processor time could not be read (the platform does not say, or it exited). */
    record Cores(double jvm, double jit, double queueEmulator, double tableEmulator, int machine, double seconds) {
        @Override
        public String toString() {
            return String.format("cores busy: harness JVM %s (its JIT compiler %s), queue emulator %s,"
                    + " table emulator %s (of %d)", figure(jvm), figure(jit), figure(queueEmulator),
                    figure(tableEmulator), machine);
        }

        /** The cores the three processes kept busy together. */
        double all() {
            return jvm + queueEmulator + tableEmulator;
        }

        private static String figure(double cores) {
            return Double.isNaN(cores) ? "n/a" : String.format("%.2f", cores);
        }
    }

    /** Medians over runs, for a report row: "JVM (its JIT compiler) / queue emulator / table emulator". */
    static String medians(List<Cores> runs) {
        return median(runs, Cores::jvm) + " (" + median(runs, Cores::jit) + ") / " + median(runs, Cores::queueEmulator)
                + " / " + median(runs, Cores::tableEmulator);
    }

    /**
     * Medians over runs of the processor time per unit of work ({@code units.get(i)} in run i), in ms, for a report
     * row: "JVM (its JIT compiler) / queue emulator / table emulator / all three".
     */
    static String millisPer(List<Cores> runs, List<Integer> units) {
        List<String> figures = new ArrayList<>();
        for (ToDoubleFunction<Cores> process : List.<ToDoubleFunction<Cores>>of(Cores::jvm, Cores::jit,
                Cores::queueEmulator, Cores::tableEmulator, Cores::all)) {
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                ms.add(process.applyAsDouble(runs.get(i)) * runs.get(i).seconds() * 1000 / units.get(i));
            }
            figures.add(Spread.ofKnown(ms).format(2));
        }
        return figures.get(0) + " (" + figures.get(1) + ") / " + figures.get(2) + " / " + figures.get(3) + " / "
                + figures.get(4);
    }

    /**
     * What each run's work could reach at most on this machine if every core were kept busy with it: the machine's
     * cores over the processor time per unit of work that the three processes spent ({@code units.get(i)} in run i),
     * per second; NaN where a process's time could not be read. A rate near it is bound by the machine's cores, not
     * by waits, and no change of parallelism can take it past.
     */
    static List<Double> ceilings(List<Cores> runs, List<Integer> units) {
        List<Double> perSecond = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Cores c = runs.get(i);
            perSecond.add(c.machine() * units.get(i) / (c.all() * c.seconds()));
        }
        return perSecond;
    }

    private static String median(List<Cores> runs, ToDoubleFunction<Cores> figure) {
        return Spread.ofKnown(runs.stream().map(figure::applyAsDouble).toList()).format(2);
    }

    private final ProcessHandle queues;
    private final ProcessHandle tables;
    private final long startNanos;
    private final long jvmStart;
    private final long jitStart;
    private final long queuesStart;
    private final long tablesStart;

    private ProcessorShare(ProcessHandle queues, ProcessHandle tables) {
        this.queues = queues;
        this.tables = tables;
        this.startNanos = System.nanoTime();
        this.jvmStart = jvmNanos();
        this.jitStart = jitNanos();
        this.queuesStart = nanos(queues);
        this.tablesStart = nanos(tables);
    }

    /** Starts counting now. */
    static ProcessorShare start(BenchAzurite azurite) {
        return new ProcessorShare(azurite.queueProcess(), azurite.tableProcess());
    }

    /** The cores each process kept busy since {@link #start}, on average. */
    Cores cores() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long jit = jitNanos();
        // HotSpot may end a compiler thread it no longer needs, taking its time with it: then the share is unknown.
        double jitCores = jitStart < 0 || jit < jitStart ? Double.NaN : (jit - jitStart) / 1e9 / seconds;
        return new Cores((jvmNanos() - jvmStart) / 1e9 / seconds, jitCores, share(queues, queuesStart, seconds),
                share(tables, tablesStart, seconds), Runtime.getRuntime().availableProcessors(), seconds);
    }

    private static double share(ProcessHandle process, long startNanos, double seconds) {
        long now = nanos(process);
        return startNanos < 0 || now < startNanos ? Double.NaN : (now - startNanos) / 1e9 / seconds;
    }

    /** This JVM's processor time so far: the app on the local host, the sink and the harness. */
    static long jvmNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * The processor time of this JVM's JIT compiler threads so far (HotSpot names them "C1 CompilerThread<n>" and
     * "C2 CompilerThread<n>"; Linux shows them under /proc/self/task), in nanoseconds; -1 where that cannot be read.
     */
    private static long jitNanos() {
        Path tasks = Path.of("/proc/self/task");
        try (Stream<Path> threads = Files.list(tasks)) {
            long ticks = 0;
            for (Path thread : threads.toList()) {
                String stat;
                try {
                    stat = Files.readString(thread.resolve("stat"));
                } catch (IOException ended) {
                    continue; // the thread ended between the listing and the read
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String name = stat.substring(open + 1, close);
                // Linux keeps 15 characters of a thread's name: "C2 CompilerThre".
                if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                    // After "(name) ": state, then 10 fields to utime and stime (stat fields 14 and 15).
                    String[] fields = stat.substring(close + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                }
            }
            return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
        } catch (IOException | RuntimeException unreadable) {
            return -1;
        }
    }

    /** A process's processor time so far; -1 where the platform does not say or the process is gone. */
    static long nanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }
}
