package io.sequencer.engine.send;

import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.channel.Destination;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A send budget per destination (a Messenger page, a SendGrid sender) so that due steps never exceed the
 * platform's rate, however many instances send: each instance gets the destination's rate divided by the most
 * instances the app may scale to, as a token bucket with one second of burst. Over budget, the tick is delayed
 * (about as long as a token takes, spread at random so waiting ticks do not return together), never dropped.
 */
public final class SendBudget {
    /** No limits: for tests and webhook-only setups. */
    public static final SendBudget UNLIMITED = new SendBudget(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 1,
            Clock.systemUTC());
    private static final Duration SPREAD = Duration.ofSeconds(1);

    private final double messengerPerSecond;
    private final double sendGridPerSecond;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param messengerPerPage calls per second one Messenger page may receive (all instances together)
     * @param sendGridPerSender calls per second one SendGrid sender may make (all instances together)
     * @param maxInstances the most instances that may send at once (the app's scale-out limit)
     */
    public SendBudget(double messengerPerPage, double sendGridPerSender, int maxInstances, Clock clock) {
        if (maxInstances < 1 || messengerPerPage <= 0 || sendGridPerSender <= 0) {
            throw new IllegalArgumentException("rates must be positive and maxInstances at least 1");
        }
        this.messengerPerSecond = messengerPerPage / maxInstances;
        this.sendGridPerSecond = sendGridPerSender / maxInstances;
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
        Optional<String> destination = destination(channel);
        if (destination.isEmpty()) {
            return Optional.empty();
        }
        double rate = channel instanceof ChannelConfig.Messenger ? messengerPerSecond : sendGridPerSecond;
        if (Double.isInfinite(rate)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Bucket bucket = buckets.computeIfAbsent(destination.get(), d -> new Bucket(rate, now));
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

    /** The platforms with a published rate (webhooks have none) are budgeted per {@link Destination}. */
    private static Optional<String> destination(ChannelConfig channel) {
        return channel instanceof ChannelConfig.Webhook ? Optional.empty() : Optional.of(Destination.of(channel).key());
    }
}
