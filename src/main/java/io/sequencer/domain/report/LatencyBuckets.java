package io.sequencer.domain.report;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Durations counted in logarithmic buckets, eight per doubling, so a median over any number of sends is kept in a
 * few hundred counters at most and read back within ±4.5 %. A counter per bucket adds up across rows like every
 * other count, which an exact median never could.
 */
public final class LatencyBuckets {
    static final int PER_DOUBLING = 8;

    private LatencyBuckets() {}

    /** The bucket of a duration of {@code millis} (≥ 0). */
    public static int bucketOf(long millis) {
        return (int) Math.floor(log2(millis + 1.0) * PER_DOUBLING);
    }

    /** The geometric middle of {@code bucket}: within ±4.5 % of every duration counted in it. */
    static Duration middleOf(int bucket) {
        double low = Math.pow(2, (double) bucket / PER_DOUBLING);
        double high = Math.pow(2, (double) (bucket + 1) / PER_DOUBLING);
        return Duration.ofMillis(Math.round(Math.sqrt(low * high) - 1));
    }

    /** The median of the durations counted per bucket, or empty when none were counted. */
    static Optional<Duration> median(Map<Integer, Long> countsByBucket) {
        SortedMap<Integer, Long> sorted = new TreeMap<>(countsByBucket);
        long total = sorted.values().stream().mapToLong(Long::longValue).sum();
        if (total <= 0) {
            return Optional.empty();
        }
        long rank = (total + 1) / 2;
        long seen = 0;
        for (Map.Entry<Integer, Long> bucket : sorted.entrySet()) {
            seen += bucket.getValue();
            if (seen >= rank) {
                return Optional.of(middleOf(bucket.getKey()));
            }
        }
        throw new IllegalStateException("unreachable: the ranks add up to the total");
    }

    private static double log2(double value) {
        return Math.log(value) / Math.log(2);
    }
}
