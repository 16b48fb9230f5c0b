package io.sequencer.domain.broadcast;

import io.sequencer.domain.report.Rates;
import io.sequencer.domain.report.Tally;
import io.sequencer.domain.subscriber.Engagement;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a broadcast achieved, from its tally: the audience the fan-out found so far, how many were sent, engaged,
 * failed (by class) and skipped (by reason), and how many are still to go ({@code unsettled}; after a cancel,
 * those that will never go), and the sends by the type of channel they went on ({@code sentByChannel}).
 */
public record BroadcastReport(Broadcast broadcast, BroadcastStatus status, long audience, long sent,
                              Map<Engagement, Long> engagement, Map<String, Long> failed, Map<String, Long> skipped,
                              long unsettled, Instant asOf, Map<String, Long> sentByChannel) {

    /** A report with no sends by channel. */
    public BroadcastReport(Broadcast broadcast, BroadcastStatus status, long audience, long sent,
                           Map<Engagement, Long> engagement, Map<String, Long> failed, Map<String, Long> skipped,
                           long unsettled, Instant asOf) {
        this(broadcast, status, audience, sent, engagement, failed, skipped, unsettled, asOf, Map.of());
    }

    public static BroadcastReport of(Broadcast broadcast, Tally tally, Instant now) {
        Map<Engagement, Long> engagement = new EnumMap<>(Engagement.class);
        for (Engagement signal : Engagement.values()) {
            engagement.put(signal, tally.get(signal.wireName()));
        }
        Map<String, Long> failed = byReason(tally, Recipient.FAILED);
        Map<String, Long> skipped = byReason(tally, Recipient.SKIPPED);
        long audience = tally.get(Recipient.AUDIENCE);
        long sent = tally.get(Recipient.SENT);
        long unsettled = Math.max(0, audience - sent - sum(failed) - sum(skipped));
        return new BroadcastReport(broadcast, broadcast.status(unsettled), audience, sent, Map.copyOf(engagement),
                failed, skipped, unsettled, now, byReason(tally, Tally.VIA));
    }

    public long failedTotal() {
        return sum(failed);
    }

    public long skippedTotal() {
        return sum(skipped);
    }

    /** Share of sends with {@code signal}, when anything was sent. */
    public Optional<Double> rateOf(Engagement signal) {
        return Rates.of(engagement.getOrDefault(signal, 0L), sent);
    }

    private static Map<String, Long> byReason(Tally tally, String prefix) {
        Map<String, Long> out = new TreeMap<>();
        tally.counts().forEach((name, count) -> {
            if (name.startsWith(prefix + "|")) {
                out.merge(name.substring(prefix.length() + 1), count, Long::sum);
            }
        });
        return Collections.unmodifiableMap(out);
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
