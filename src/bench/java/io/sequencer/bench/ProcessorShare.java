package io.sequencer.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * How many of the machine's cores the harness JVM (the app on the local host, the sink and the harness) and the two
 * emulator processes kept busy over one measured interval. The ratios of the design compare the app with the raw
 * emulator on the same cores, so they mean most beside who used the cores: a run with every core busy is bound by
 * the machine, and a process at one full core (Node runs the emulator's requests on one thread) is bound by itself.
 */
final class ProcessorShare {
    /** Each NaN where that process's processor time could not be read (the platform does not say, or it exited). */
    record Cores(double jvm, double queueEmulator, double tableEmulator, int machine) {
        @Override
        public String toString() {
            return String.format("cores busy: harness JVM %s, queue emulator %s, table emulator %s (of %d)",
                    figure(jvm), figure(queueEmulator), figure(tableEmulator), machine);
        }

        private static String figure(double cores) {
            return Double.isNaN(cores) ? "n/a" : String.format("%.2f", cores);
        }
    }

    /** Medians over runs, for a report row: "JVM / queue emulator / table emulator". */
    static String medians(List<Cores> runs) {
        return median(runs, Cores::jvm) + " / " + median(runs, Cores::queueEmulator) + " / "
                + median(runs, Cores::tableEmulator);
    }

    private static String median(List<Cores> runs, ToDoubleFunction<Cores> figure) {
        List<Double> known = runs.stream().map(figure::applyAsDouble).filter(c -> !Double.isNaN(c)).toList();
        return known.isEmpty() ? "n/a" : Spread.of(known).format(2);
    }

    private final ProcessHandle queues;
    private final ProcessHandle tables;
    private final long startNanos;
    private final long jvmStart;
    private final long queuesStart;
    private final long tablesStart;

    private ProcessorShare(ProcessHandle queues, ProcessHandle tables) {
        this.queues = queues;
        this.tables = tables;
        this.startNanos = System.nanoTime();
        this.jvmStart = jvmNanos();
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
        return new Cores((jvmNanos() - jvmStart) / 1e9 / seconds, share(queues, queuesStart, seconds),
                share(tables, tablesStart, seconds), Runtime.getRuntime().availableProcessors());
    }

    private static double share(ProcessHandle process, long startNanos, double seconds) {
        long now = nanos(process);
        return startNanos < 0 || now < startNanos ? Double.NaN : (now - startNanos) / 1e9 / seconds;
    }

    private static long jvmNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** A process's processor time so far; -1 where the platform does not say or the process is gone. */
    private static long nanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }
}
