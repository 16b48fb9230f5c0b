package io.sequencer.bench;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lateness (sink arrival minus the payload's dueAt) at an offered rate, open loop: steps fall due at
 * {@code rate} per second for {@code window} seconds whatever the app manages. The steps are scheduled ahead
 * through the HTTP API, before the window opens, so the window carries deliveries only: subscriber {@code j} is
 * due at {@code start + j / rate} and is enrolled into a one-step sequence whose delay (whole seconds, as the
 * queue counts them) lands it there, so its due time is within half a second of its slot.
 */
final class LatenessAtRate {
    /** How long after the window's last due time the harness waits for stragglers. */
    static final long GRACE_MILLIS = 30_000;

    /**
     * {@code retried}: deliveries that reached the sink on a later attempt than their first; {@code windowStartMillis}:
     * the first step's due time (epoch ms), before which the run only enrolled.
     */
    record Result(double offeredRate, double achievedOfferedRate, int expected, int delivered, int retried,
                  Percentiles lateness, double windowSeconds, long windowStartMillis) {}

    private final ApiClient api;
    private final DeliverySink sink;
    private final int parallelCallers;
    private final double enrollsPerSecond;

    /** @param enrollsPerSecond the measured enroll rate, to know how far ahead the window must open */
    LatenessAtRate(ApiClient api, DeliverySink sink, int parallelCallers, double enrollsPerSecond) {
        this.api = api;
        this.sink = sink;
        this.parallelCallers = parallelCallers;
        this.enrollsPerSecond = enrollsPerSecond;
    }

    Result run(String runId, double rate, int windowSeconds) throws InterruptedException {
        int count = (int) Math.round(rate * windowSeconds);
        double leadSeconds = Math.ceil(count / enrollsPerSecond * 1.2) + 3;
        long windowStart = System.currentTimeMillis() + (long) (leadSeconds * 1000);
        String prefix = runId + "-d";
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
                    long slot = windowStart + Math.round(j * 1000 / rate);
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
            throw new IllegalStateException(failed.get() + " enrollments failed in " + runId);
        }
        long waitMillis = windowStart - System.currentTimeMillis() + windowSeconds * 1000L + GRACE_MILLIS;
        sink.await(prefix, count, waitMillis);
        var arrivals = sink.arrivals(prefix);
        // A step still missing after the grace counts at the lateness it has reached so far (a lower bound), so a
        // stall shows in the percentiles instead of being left out of them.
        long now = System.currentTimeMillis();
        java.util.Set<String> arrived = new java.util.HashSet<>();
        arrivals.forEach(a -> arrived.add(a.subscriberId()));
        java.util.List<Long> lateness = new java.util.ArrayList<>();
        arrivals.forEach(a -> lateness.add(a.latenessMillis()));
        for (int j = 0; j < count; j++) {
            if (!arrived.contains("s" + j)) {
                lateness.add(now - (windowStart + Math.round(j * 1000 / rate)));
            }
        }
        long firstDue = arrivals.stream().mapToLong(DeliverySink.Arrival::dueAtMillis).min().orElse(0);
        long lastDue = arrivals.stream().mapToLong(DeliverySink.Arrival::dueAtMillis).max().orElse(0);
        double achieved = arrivals.size() <= 1 ? 0 : (arrivals.size() - 1) * 1000.0 / Math.max(1, lastDue - firstDue);
        int retried = (int) arrivals.stream().filter(a -> a.attempt() != 1).count();
        return new Result(rate, achieved, count, arrivals.size(), retried,
                Percentiles.of(lateness.stream().mapToLong(Long::longValue).toArray()), windowSeconds, windowStart);
    }
}
