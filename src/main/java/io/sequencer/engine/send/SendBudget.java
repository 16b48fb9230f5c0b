package io.sequencer.engine.send;

import io.sequencer.domain.channel.ChannelConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A send budget per destination (a Messenger page, a SendGrid sender) so that due steps never exceed the
 * platform's rate, however many instances send: each instance gets the destination's rate divided by the most
 * instances the app may scale to, as a token bucket with one second of burst. Over budget, the tick is delayed
 * (about as long as a token takes, spread at random so waiting ticks do not return together), never dropped. Rates
 * are by channel type, each read by its type from the settings; a type without one (a webhook) is not budgeted.
 */
public final class SendBudget {
    /** No limits: for tests and webhook-only setups. */
    public static final SendBudget UNLIMITED = new SendBudget(Map.of(), 1, Clock.systemUTC());
    private static final Duration SPREAD = Duration.ofSeconds(1);

    private final Map<String, Double> perSecond;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param ratePerDestination by channel type: calls per second one destination of that type may receive (all
     *     instances together)
     * @param maxInstances the most instances that may send at once (the app's scale-out limit)
     */
    public SendBudget(Map<String, Double> ratePerDestination, int maxInstances, Clock clock) {
        if (maxInstances < 1 || ratePerDestination.values().stream().anyMatch(rate -> !(rate > 0))) {
            throw new IllegalArgumentException("rates must be positive and maxInstances at least 1");
        }
        Map<String, Double> shares = new HashMap<>();
        ratePerDestination.forEach((type, rate) -> shares.put(type, rate / maxInstances));
        this.perSecond = Map.copyOf(shares);
        this.clock = clock;
    }

    private static final class Bucket {
        final double rate;
        double tokens;
        Instant refilledAt;

        Bucket(double rate, Instant now) {
            this.rate = rate;
            this.tokens = Math.max(1, rate);
            this.refilledAt = now;
        }
    }

    /** Empty when a send to {@code channel}'s destination may go now (taking its share); else how long to wait. */
    public Optional<Duration> take(ChannelConfig channel) {
        Double rate = perSecond.get(channel.type());
        if (rate == null || Double.isInfinite(rate)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Bucket bucket = buckets.computeIfAbsent(channel.destination().key(), d -> new Bucket(rate, now));
        synchronized (bucket) {
            double elapsed = Math.max(0, Duration.between(bucket.refilledAt, now).toNanos() / 1e9);
            bucket.tokens = Math.min(Math.max(1, bucket.rate), bucket.tokens + elapsed * bucket.rate);
            bucket.refilledAt = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return Optional.empty();
            }
            long untilToken = (long) Math.ceil((1 - bucket.tokens) / bucket.rate * 1e9);
            long spread = ThreadLocalRandom.current().nextLong(SPREAD.toNanos());
            return Optional.of(Duration.ofNanos(untilToken + spread));
        }
    }
}
