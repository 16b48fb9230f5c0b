package io.sequencer.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a flight recording of a harness run by thread group (tick workers, HTTP workers, SDK I/O, ...):
 * CPU samples by top frame and by method on the stack, and sampled allocation by site. Run with
 * {@code java src/bench/java/io/sequencer/bench/JfrHotspots.java target/bench/bench.jfr [top]}.
 */
public final class JfrHotspots {
    private final Map<String, Map<String, Long>> selfSamples = new HashMap<>();
    private final Map<String, Map<String, Long>> stackSamples = new HashMap<>();
    private final Map<String, Long> samplesByGroup = new HashMap<>();
    private final Map<String, Map<String, Long>> allocationBySite = new HashMap<>();
    private final Map<String, Map<String, Long>> allocationByAppFrame = new HashMap<>();
    private final Map<String, Long> allocationByGroup = new HashMap<>();

    public static void main(String[] args) throws IOException {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        JfrHotspots hotspots = new JfrHotspots();
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            hotspots.accept(event);
        }
        hotspots.print(top);
    }

    /** Threads by the job they do in a harness run. */
    static String group(String thread) {
        if (thread == null) {
            return "other";
        }
        if (thread.startsWith("local-queue-")) {
            return "tick workers (local-queue-tick)";
        }
        if (thread.startsWith("local-http")) {
            return "HTTP function workers (local-http: enroll, define)";
        }
        if (thread.startsWith("reactor-http") || thread.startsWith("boundedElastic") || thread.startsWith("parallel")) {
            return "Azure SDK reactive threads (Netty, before the OkHttp transport)";
        }
        if (thread.startsWith("OkHttp")) {
            return "OkHttp background threads (webhook and storage clients)";
        }
        if (thread.startsWith("bench-sink") || thread.startsWith("HTTP-Dispatcher")) {
            return "benchmark sink";
        }
        if (thread.startsWith("HttpClient")) {
            return "benchmark HTTP callers";
        }
        return "other (" + thread.replaceAll("[-#]?\\d+$", "") + ")";
    }

    private void accept(RecordedEvent event) {
        String type = event.getEventType().getName();
        if (type.equals("jdk.ExecutionSample")) {
            String g = group(event.getThread("sampledThread") == null ? null : event.getThread("sampledThread").getJavaName());
            samplesByGroup.merge(g, 1L, Long::sum);
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                return;
            }
            add(selfSamples, g, name(stack.getFrames().get(0)), 1);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : stack.getFrames()) {
                String method = name(frame);
                if (seen.add(method)) {
                    add(stackSamples, g, method, 1);
                }
            }
        } else if (type.equals("jdk.ObjectAllocationSample")) {
            String g = group(event.getThread("eventThread") == null ? null : event.getThread("eventThread").getJavaName());
            long weight = event.getLong("weight");
            allocationByGroup.merge(g, weight, Long::sum);
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                return;
            }
            String objectClass = event.getClass("objectClass").getName();
            add(allocationBySite, g, objectClass + " in " + name(firstOutside(stack.getFrames(), "java.", "jdk.", "sun.")), weight);
            RecordedFrame app = firstInside(stack.getFrames(), "io.sequencer.");
            if (app != null) {
                add(allocationByAppFrame, g, name(app), weight);
            }
        }
    }

    private static RecordedFrame firstOutside(List<RecordedFrame> frames, String... prefixes) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            boolean inside = false;
            for (String p : prefixes) {
                inside |= type.startsWith(p);
            }
            if (!inside) {
                return f;
            }
        }
        return frames.get(0);
    }

    private static RecordedFrame firstInside(List<RecordedFrame> frames, String prefix) {
        for (RecordedFrame f : frames) {
            if (f.getMethod().getType().getName().startsWith(prefix)) {
                return f;
            }
        }
        return null;
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void add(Map<String, Map<String, Long>> table, String group, String key, long amount) {
        table.computeIfAbsent(group, g -> new HashMap<>()).merge(key, amount, Long::sum);
    }

    private void print(int top) {
        long totalSamples = samplesByGroup.values().stream().mapToLong(Long::longValue).sum();
        System.out.println("CPU samples by thread group (" + totalSamples + " samples):");
        printShares(samplesByGroup, totalSamples, top, Function.identity());
        long totalAllocated = allocationByGroup.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("%nSampled allocation by thread group (%.0f MiB):%n", totalAllocated / 1048576.0);
        printShares(allocationByGroup, totalAllocated, top, Function.identity());
        for (String g : samplesByGroup.keySet().stream().sorted((a, b) -> Long.compare(samplesByGroup.get(b), samplesByGroup.get(a))).limit(5).toList()) {
            long n = samplesByGroup.get(g);
            System.out.printf("%n== %s: %d CPU samples%n-- top frames (self):%n", g, n);
            printShares(selfSamples.getOrDefault(g, Map.of()), n, top, Function.identity());
            System.out.println("-- on the stack (inclusive), io.sequencer and libraries:");
            printShares(stackSamples.getOrDefault(g, Map.of()), n, top * 2, Function.identity());
        }
        for (String g : allocationByGroup.keySet().stream().sorted((a, b) -> Long.compare(allocationByGroup.get(b), allocationByGroup.get(a))).limit(4).toList()) {
            long bytes = allocationByGroup.get(g);
            System.out.printf("%n== %s: %.0f MiB sampled allocation%n-- by site:%n", g, bytes / 1048576.0);
            printShares(allocationBySite.getOrDefault(g, Map.of()), bytes, top, Function.identity());
            System.out.println("-- by innermost io.sequencer frame:");
            printShares(allocationByAppFrame.getOrDefault(g, Map.of()), bytes, top, Function.identity());
        }
    }

    private static void printShares(Map<String, Long> counts, long total, int top, Function<String, String> label) {
        counts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(top)
                .forEach(e -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total), label.apply(e.getKey())));
    }
}
