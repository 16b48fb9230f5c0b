package io.sequencer.domain.limit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Whether one more send to a subscriber fits the account's caps, given the sends already logged: a pure rule.
 * A send whose delivery id is logged already was counted when it was first let through, so it goes again.
 */
public final class CapRule {
    private CapRule() {}

    /** What to do with the send. */
    public sealed interface Verdict {
        /** It fits: log it and send it. */
        record Allowed() implements Verdict {}

        /** Over a cap: look again at {@code until}, when every cap allows it. */
        record Hold(Instant until) implements Verdict {}

        /** Over a cap, and the account skips such sends. */
        record Skip() implements Verdict {}
    }

    public static Verdict judge(FrequencyLimits limits, SendLog log, String channel, String deliveryId, Instant now) {
        if (log.has(deliveryId)) {
            return new Verdict.Allowed();
        }
        Optional<Instant> free = Optional.empty();
        for (FrequencyCap cap : limits.perSubscriber()) {
            if (!cap.counts(channel)) {
                continue;
            }
            Instant since = now.minus(cap.per());
            List<Instant> counted = log.entries().stream()
                    .filter(e -> cap.counts(e.channel()) && e.at().isAfter(since))
                    .map(SendLog.Entry::at).sorted().toList();
            if (counted.size() >= cap.max()) {
                // Room for one more once the oldest (size - max + 1) of them have left the period.
                Instant at = counted.get(counted.size() - cap.max()).plus(cap.per());
                free = Optional.of(free.filter(f -> f.isAfter(at)).orElse(at));
            }
        }
        if (free.isEmpty()) {
            return new Verdict.Allowed();
        }
        return limits.over() == FrequencyLimits.Over.HOLD ? new Verdict.Hold(free.get()) : new Verdict.Skip();
    }
}
