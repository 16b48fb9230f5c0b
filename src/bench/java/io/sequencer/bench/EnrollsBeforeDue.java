package io.sequencer.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.function.IntToLongFunction;

/**
 * Enrolls a lateness window's subscribers during the window, each about {@code leadSeconds} before its slot, so
 * that the tick queue holds about rate x lead hidden steps at any time (as when the maximum was measured) instead
 * of the whole window's. Every {@link #STEP_MILLIS} the schedule takes the subscribers whose slot comes within the
 * lead and hands them, one batch request per delay, to a pool of parallel callers, so a slow request does not hold
 * the schedule back.
 */
final class EnrollsBeforeDue {
    /** How often the schedule looks for subscribers whose slot comes within the lead. */
    static final long STEP_MILLIS = 100;
    /** Subscribers per batch request at most (the API takes up to 1,000). */
    private static final int MAX_PER_REQUEST = 500;

    /** {@code slowestMillis}: the longest a batch request took, from its tick of the schedule to its answer. */
    record Enrolled(int requests, long slowestMillis) {}

    private final ApiClient api;
    private final int parallelCallers;
    private final int leadSeconds;

    EnrollsBeforeDue(ApiClient api, int parallelCallers, int leadSeconds) {
        this.api = api;
        this.parallelCallers = parallelCallers;
        this.leadSeconds = leadSeconds;
    }

    /**
     * Enrolls {@code subscriberPrefix + j} for j below {@code count} into the sequence {@code sequencePrefix + d},
     * whose one step is delayed d seconds, d chosen when its turn comes to land it on {@code slotOf(j)}.
     * @throws IllegalStateException when any batch request fails (the schedule stops there; requests already handed
     *         to the callers finish first)
     */
    Enrolled enroll(String sequencePrefix, String subscriberPrefix, int count, IntToLongFunction slotOf)
            throws InterruptedException {
        ExecutorService callers = Executors.newFixedThreadPool(parallelCallers);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        AtomicInteger requests = new AtomicInteger();
        LongAccumulator slowest = new LongAccumulator(Math::max, 0);
        int next = 0;
        try {
            long tick = System.currentTimeMillis();
            while (next < count && failure.get() == null) {
                long now = System.currentTimeMillis();
                int from = next;
                while (next < count && slotOf.applyAsLong(next) <= now + leadSeconds * 1000L) {
                    next++;
                }
                // The delay grows with j, so the subscribers of one delay are a contiguous range.
                for (int start = from, end; start < next; start = end) {
                    int delay = delaySeconds(slotOf.applyAsLong(start), now);
                    end = start + 1;
                    while (end < next && end - start < MAX_PER_REQUEST && delaySeconds(slotOf.applyAsLong(end), now) == delay) {
                        end++;
                    }
                    int first = start;
                    int last = end;
                    requests.incrementAndGet();
                    callers.execute(() -> {
                        try {
                            api.enrollBatch(sequencePrefix + delay, subscriberPrefix, first, last);
                            slowest.accumulate(System.currentTimeMillis() - now);
                        } catch (RuntimeException e) {
                            failure.compareAndSet(null, e);
                        }
                    });
                }
                tick += STEP_MILLIS;
                Thread.sleep(Math.max(0, tick - System.currentTimeMillis()));
            }
        } finally {
            callers.shutdown();
            callers.awaitTermination(10, TimeUnit.MINUTES);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("an enroll " + leadSeconds + " s before due failed", failure.get());
        }
        return new Enrolled(requests.get(), slowest.get());
    }

    /** Whole seconds, as the queue counts them, from {@code now} to {@code slot}; at least one. */
    static int delaySeconds(long slot, long now) {
        return (int) Math.max(1, Math.round((slot - now) / 1000.0));
    }
}
