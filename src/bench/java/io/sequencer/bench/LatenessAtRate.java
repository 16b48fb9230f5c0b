package io.sequencer.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Lateness (sink arrival minus the payload's dueAt) at an offered rate: steps fall due at {@code rate} per second
 * for about {@code window} seconds. Subscriber {@code j}'s first step is due at {@code start + j / rate}: it is
 * enrolled through the HTTP API into a sequence whose first delay (whole seconds, as the queue counts them) lands it
 * there, so its due time is within half a second of its slot. Three schedulings ({@link Scheduling}):
 *
 * <ul>
 *   <li>{@code AHEAD}: every subscriber of the window is enrolled before it opens (one PUT each), into a one-step
 *       sequence, open loop. The window carries deliveries only, but the tick queue holds the whole window's steps,
 *       hidden, when it opens; the queue emulator's get scans every message it holds, so at a high rate that measures
 *       the emulator's depth more than the app (docs/BENCHMARKS.md).
 *   <li>{@code ENROLL}: {@link EnrollsBeforeDue} enrolls each subscriber about {@code lead} seconds before its slot,
 *       during the window, in batch requests, open loop: the queue holds about rate x lead steps, but the window
 *       also carries the enrolls, which the maximum's measurement did not.
 *   <li>{@code CHAIN}: about rate x lead subscribers are enrolled before the window, into a sequence whose later
 *       steps follow each other {@code lead} seconds apart, so each step is put by the tick of the one before, as in
 *       the maximum's measurement, and the queue holds about rate x lead steps. Each step's due time counts from the
 *       send of the one before, so a late step makes the rest of its chain later too and the steps fall due slower
 *       than rate x lead subscribers would make them: each run enrolls more subscribers by what the run before at
 *       the same rate fell short, up to {@link #MAX_CHAIN_CORRECTION} ({@code achievedOfferedRate}, from the due
 *       times, says what each run offered).
 * </ul>
 */
final class LatenessAtRate {
    /** How a window's steps are scheduled (see the class comment). */
    enum Scheduling { CHAIN, ENROLL, AHEAD }

    /**
     * At most this many times rate x lead subscribers in a chain run: more would hide that the app falls behind (a
     * late chain asks for more subscribers, which make it later still) behind a rate kept up by numbers alone.
     */
    static final double MAX_CHAIN_CORRECTION = 1.25;

    /** How long after the window's last due time the harness waits for stragglers. */
    static final long GRACE_MILLIS = 30_000;

    /**
     * {@code retried}: deliveries that reached the sink on a later attempt than their first; {@code windowStartMillis}:
     * the first step's due time (epoch ms); {@code leadSeconds}: as given to the constructor; {@code enrollRequests},
     * {@code slowestEnrollMillis}: of the enrolls within the window (0 but with ENROLL).
     */
    record Result(double offeredRate, double achievedOfferedRate, int expected, int delivered, int retried,
                  Percentiles lateness, double windowSeconds, long windowStartMillis, Scheduling scheduling,
                  int leadSeconds, int enrollRequests, long slowestEnrollMillis) {
        static String scheduling(Scheduling scheduling, int leadSeconds) {
            return switch (scheduling) {
                case AHEAD -> "all enrolled before the window";
                case ENROLL -> "steps enrolled " + leadSeconds + " s before due";
                case CHAIN -> "chains of steps " + leadSeconds + " s apart";
            };
        }
    }

    private final ApiClient api;
    private final DeliverySink sink;
    private final int parallelCallers;
    private final double enrollsPerSecond;
    private final Scheduling scheduling;
    private final int leadSeconds;
    /**
     * CHAIN only, per offered rate: how many more subscribers than rate x lead the next run enrolls, so that the
     * steps fall due at the offered rate although each one's lateness delays the rest of its chain. Starts at a
     * quarter of a second's lateness per step, then follows what the runs before achieved.
     */
    private final Map<Long, Double> chainCorrection = new ConcurrentHashMap<>();

    /**
     * @param enrollsPerSecond the measured enroll rate, to know how far ahead the window must open (all but ENROLL)
     * @param leadSeconds ENROLL: how long before its due time each step is enrolled; CHAIN: the time between one
     *                    subscriber's steps; AHEAD: not used
     */
    LatenessAtRate(ApiClient api, DeliverySink sink, int parallelCallers, double enrollsPerSecond,
                   Scheduling scheduling, int leadSeconds) {
        this.api = api;
        this.sink = sink;
        this.parallelCallers = parallelCallers;
        this.enrollsPerSecond = enrollsPerSecond;
        this.scheduling = scheduling;
        this.leadSeconds = leadSeconds;
    }

    Result run(String runId, double rate, int windowSeconds) throws InterruptedException {
        String prefix = runId + "-d";
        // Subscribers and their steps each: one step each, or chains of steps lead seconds apart.
        double correction = chainCorrection.getOrDefault(Math.round(rate), 1 + 0.25 / leadSeconds);
        int subscribers = scheduling == Scheduling.CHAIN ? (int) Math.max(1, Math.round(rate * leadSeconds * correction))
                : (int) Math.round(rate * windowSeconds);
        int steps = scheduling == Scheduling.CHAIN ? (int) Math.max(1, Math.ceil(windowSeconds / (double) leadSeconds)) : 1;
        int count = subscribers * steps;
        // New subscribers each run: a batch then goes as a whole (a known subscriber is enrolled alone), and a
        // profile's list of sequences (read at every send) does not grow run by run.
        String subscriberPrefix = runId + "-s";
        long windowStart;
        EnrollsBeforeDue.Enrolled enrolled = new EnrollsBeforeDue.Enrolled(0, 0);
        if (scheduling == Scheduling.ENROLL) {
            defineSequences(prefix, leadSeconds + 2, delays(steps));
            long start = System.currentTimeMillis() + (leadSeconds + 2) * 1000L;
            windowStart = start;
            enrolled = new EnrollsBeforeDue(api, parallelCallers, leadSeconds).enroll(prefix, subscriberPrefix, count,
                    j -> slot(start, j, rate));
        } else {
            windowStart = enrollAllBeforeWindow(prefix, subscriberPrefix, rate, subscribers, delays(steps));
        }
        double window = scheduling == Scheduling.CHAIN ? steps * (double) leadSeconds : windowSeconds;
        long waitMillis = windowStart - System.currentTimeMillis() + (long) (window * 1000) + GRACE_MILLIS;
        sink.await(prefix, count, waitMillis);
        var arrivals = sink.arrivals(prefix);
        // A step still missing after the grace counts at the time since its slot (in a chain, the slot it would
        // have had if no step before it had been late, so more than its own lateness then), so a stall shows in the
        // percentiles instead of being left out of them.
        long now = System.currentTimeMillis();
        Set<String> arrived = new HashSet<>();
        arrivals.forEach(a -> arrived.add(a.subscriberId() + "/" + a.stepId()));
        List<Long> lateness = new ArrayList<>();
        arrivals.forEach(a -> lateness.add(a.latenessMillis()));
        for (int j = 0; j < subscribers; j++) {
            for (int k = 1; k <= steps; k++) {
                if (!arrived.contains(subscriberPrefix + j + "/s" + k)) {
                    lateness.add(now - slot(windowStart, j, rate) - (k - 1) * leadSeconds * 1000L);
                }
            }
        }
        long firstDue = arrivals.stream().mapToLong(DeliverySink.Arrival::dueAtMillis).min().orElse(0);
        long lastDue = arrivals.stream().mapToLong(DeliverySink.Arrival::dueAtMillis).max().orElse(0);
        double achieved = arrivals.size() <= 1 ? 0 : (arrivals.size() - 1) * 1000.0 / Math.max(1, lastDue - firstDue);
        int retried = (int) arrivals.stream().filter(a -> a.attempt() != 1).count();
        if (scheduling == Scheduling.CHAIN && achieved > 0) {
            chainCorrection.put(Math.round(rate), Math.max(1, Math.min(MAX_CHAIN_CORRECTION, correction * rate / achieved)));
        }
        return new Result(rate, achieved, count, arrivals.size(), retried,
                Percentiles.of(lateness.stream().mapToLong(Long::longValue).toArray()), window, windowStart,
                scheduling, leadSeconds, enrolled.requests(), enrolled.slowestMillis());
    }

    /** The delays of a sequence whose first step is due {@code first} seconds after the enroll. */
    private IntFunction<int[]> delays(int steps) {
        return first -> {
            int[] delays = new int[steps];
            Arrays.fill(delays, leadSeconds);
            delays[0] = first;
            return delays;
        };
    }

    private static long slot(long windowStart, int j, double rate) {
        return windowStart + Math.round(j * 1000 / rate);
    }

    /** Defines the sequences {@code prefix + d} for first delays d of 1 to {@code maxDelay} seconds. */
    private void defineSequences(String prefix, int maxDelay, IntFunction<int[]> delays) {
        for (int d = 1; d <= maxDelay; d++) {
            api.defineSequence(prefix + d, sink.url(), delays.apply(d));
        }
    }

    /**
     * Enrolls subscriber {@code subscriberPrefix + j} for j below {@code count} before the window opens, one PUT
     * each, into the sequence whose first delay lands j's first step on its slot (defined with {@code delays} of
     * that first delay for every delay an enroll can need, as the delays only shrink from now on); the window's start.
     */
    private long enrollAllBeforeWindow(String prefix, String subscriberPrefix, double rate, int count,
                                       IntFunction<int[]> delays) throws InterruptedException {
        double aheadSeconds = Math.ceil(count / enrollsPerSecond * 1.2) + 3;
        long windowStart = System.currentTimeMillis() + (long) (aheadSeconds * 1000);
        defineSequences(prefix, EnrollsBeforeDue.delaySeconds(slot(windowStart, count - 1, rate),
                System.currentTimeMillis()), delays);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService callers = Executors.newFixedThreadPool(parallelCallers);
        for (int c = 0; c < parallelCallers; c++) {
            callers.execute(() -> {
                for (int j = next.getAndIncrement(); j < count; j = next.getAndIncrement()) {
                    int delay = EnrollsBeforeDue.delaySeconds(slot(windowStart, j, rate), System.currentTimeMillis());
                    try {
                        if (api.enroll(prefix + delay, subscriberPrefix + j) != 201) {
                            failed.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        failed.incrementAndGet(); // counted, so the run fails instead of scoring the step as late
                    }
                }
            });
        }
        callers.shutdown();
        if (!callers.awaitTermination(10, TimeUnit.MINUTES)) {
            callers.shutdownNow();
            throw new IllegalStateException("enrolling " + prefix + " took more than 10 minutes");
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " enrollments failed in " + prefix);
        }
        return windowStart;
    }
}
