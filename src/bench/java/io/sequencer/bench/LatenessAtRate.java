package io.sequencer.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lateness (sink arrival minus the payload's dueAt) at an offered rate, open loop: steps fall due at
 * {@code rate} per second for {@code window} seconds whatever the app manages. Subscriber {@code j} is due at
 * {@code start + j / rate}: it is enrolled through the HTTP API into a one-step sequence whose delay (whole
 * seconds, as the queue counts them) lands it there, so its due time is within half a second of its slot.
 *
 * <p>With a lead of 0 every subscriber is enrolled before the window opens (one PUT each), so the window carries
 * deliveries only, but the tick queue then holds the whole window's steps, hidden, when it opens. The queue
 * emulator's get scans every message it holds, so at a high rate that measures the emulator's depth more than
 * the app (docs/BENCHMARKS.md). With a lead of S seconds, {@link EnrollsBeforeDue} enrolls each subscriber
 * about S seconds before its slot, during the window, in batch requests: the queue holds about rate x S steps.
 */
final class LatenessAtRate {
    /** How long after the window's last due time the harness waits for stragglers. */
    static final long GRACE_MILLIS = 30_000;

    /**
     * {@code retried}: deliveries that reached the sink on a later attempt than their first; {@code windowStartMillis}:
     * the first step's due time (epoch ms); {@code leadSeconds}: how long before its due time a step was enrolled (0:
     * all before the window); {@code enrollRequests}, {@code slowestEnrollMillis}: of the enrolls within the window
     * (0 with no lead).
     */
    record Result(double offeredRate, double achievedOfferedRate, int expected, int delivered, int retried,
                  Percentiles lateness, double windowSeconds, long windowStartMillis, int leadSeconds,
                  int enrollRequests, long slowestEnrollMillis) {
        String scheduling() {
            return scheduling(leadSeconds);
        }

        static String scheduling(int leadSeconds) {
            return leadSeconds == 0 ? "all enrolled before the window" : "steps enrolled " + leadSeconds + " s before due";
        }
    }

    private final ApiClient api;
    private final DeliverySink sink;
    private final int parallelCallers;
    private final double enrollsPerSecond;
    private final int leadSeconds;

    /**
     * @param enrollsPerSecond the measured enroll rate, to know how far ahead the window must open (lead 0 only)
     * @param leadSeconds how long before its due time each step is enrolled; 0: all before the window
     */
    LatenessAtRate(ApiClient api, DeliverySink sink, int parallelCallers, double enrollsPerSecond, int leadSeconds) {
        this.api = api;
        this.sink = sink;
        this.parallelCallers = parallelCallers;
        this.enrollsPerSecond = enrollsPerSecond;
        this.leadSeconds = leadSeconds;
    }

    Result run(String runId, double rate, int windowSeconds) throws InterruptedException {
        int count = (int) Math.round(rate * windowSeconds);
        String prefix = runId + "-d";
        long windowStart;
        String subscriberPrefix;
        EnrollsBeforeDue.Enrolled enrolled = new EnrollsBeforeDue.Enrolled(0, 0);
        if (leadSeconds == 0) {
            subscriberPrefix = "s";
            windowStart = enrollAllBeforeWindow(prefix, rate, windowSeconds, count);
        } else {
            // New subscribers each run, so that a batch goes as a whole (a known subscriber is enrolled alone).
            subscriberPrefix = runId + "-s";
            for (int d = 1; d <= leadSeconds + 2; d++) {
                api.defineSequence(prefix + d, sink.url(), d);
            }
            long start = System.currentTimeMillis() + (leadSeconds + 2) * 1000L;
            windowStart = start;
            enrolled = new EnrollsBeforeDue(api, parallelCallers, leadSeconds).enroll(prefix, subscriberPrefix, count,
                    j -> slot(start, j, rate));
        }
        long waitMillis = windowStart - System.currentTimeMillis() + windowSeconds * 1000L + GRACE_MILLIS;
        sink.await(prefix, count, waitMillis);
        var arrivals = sink.arrivals(prefix);
        // A step still missing after the grace counts at the lateness it has reached so far (a lower bound), so a
        // stall shows in the percentiles instead of being left out of them.
        long now = System.currentTimeMillis();
        Set<String> arrived = new HashSet<>();
        arrivals.forEach(a -> arrived.add(a.subscriberId()));
        List<Long> lateness = new ArrayList<>();
        arrivals.forEach(a -> lateness.add(a.latenessMillis()));
        for (int j = 0; j < count; j++) {
            if (!arrived.contains(subscriberPrefix + j)) {
                lateness.add(now - slot(windowStart, j, rate));
            }
        }
        long firstDue = arrivals.stream().mapToLong(DeliverySink.Arrival::dueAtMillis).min().orElse(0);
        long lastDue = arrivals.stream().mapToLong(DeliverySink.Arrival::dueAtMillis).max().orElse(0);
        double achieved = arrivals.size() <= 1 ? 0 : (arrivals.size() - 1) * 1000.0 / Math.max(1, lastDue - firstDue);
        int retried = (int) arrivals.stream().filter(a -> a.attempt() != 1).count();
        return new Result(rate, achieved, count, arrivals.size(), retried,
                Percentiles.of(lateness.stream().mapToLong(Long::longValue).toArray()), windowSeconds, windowStart,
                leadSeconds, enrolled.requests(), enrolled.slowestMillis());
    }

    private static long slot(long windowStart, int j, double rate) {
        return windowStart + Math.round(j * 1000 / rate);
    }

    /** Enrolls subscriber "s" + j for every j before the window opens, one PUT each; the window's start. */
    private long enrollAllBeforeWindow(String prefix, double rate, int windowSeconds, int count)
            throws InterruptedException {
        double leadSeconds = Math.ceil(count / enrollsPerSecond * 1.2) + 3;
        long windowStart = System.currentTimeMillis() + (long) (leadSeconds * 1000);
        ConcurrentHashMap<Integer, Boolean> defined = new ConcurrentHashMap<>();
        for (int d = 1; d <= leadSeconds + windowSeconds + 2; d++) {
            api.defineSequence(prefix + d, sink.url(), d);
            defined.put(d, true);
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService callers = Executors.newFixedThreadPool(parallelCallers);
        for (int c = 0; c < parallelCallers; c++) {
            callers.execute(() -> {
                for (int j = next.getAndIncrement(); j < count; j = next.getAndIncrement()) {
                    long slot = slot(windowStart, j, rate);
                    int delay = (int) Math.max(1, Math.round((slot - System.currentTimeMillis()) / 1000.0));
                    defined.computeIfAbsent(delay, d -> {
                        api.defineSequence(prefix + d, sink.url(), d);
                        return true;
                    });
                    if (api.enroll(prefix + delay, "s" + j) != 201) {
                        failed.incrementAndGet();
                    }
                }
            });
        }
        callers.shutdown();
        callers.awaitTermination(10, TimeUnit.MINUTES);
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " enrollments failed in " + prefix);
        }
        return windowStart;
    }
}
