package io.sequencer.domain.sequence;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one rule for when a step is due: its delay counted from its anchor (the previous step's actual send, or
 * enrollment), then moved to the next opening of its send window, all on the subscriber's clock.
 */
public final class NextSendTime {
    private NextSendTime() {}

    /**
     * @param previousSendAt when the previous step was sent (or skipped); enrollment time for the first step
     */
    public static Instant of(Step step, Sequence sequence, Instant previousSendAt, Instant enrolledAt,
                             Optional<ZoneId> subscriberZone) {
        ZoneId zone = zone(subscriberZone, sequence);
        Instant anchor = step.delay().from() == Delay.Anchor.ENROLLMENT ? enrolledAt : previousSendAt;
        Instant due = step.delay().endsAfter(anchor, zone);
        Optional<SendWindow> window = window(step, sequence);
        return window.isPresent() ? window.get().nextOpening(due, zone) : due;
    }

    /** The subscriber's zone, else the sequence's, else UTC. */
    public static ZoneId zone(Optional<ZoneId> subscriberZone, Sequence sequence) {
        return subscriberZone.or(sequence::timezone).orElse(ZoneOffset.UTC);
    }

    /** The step's own window, else the sequence's. */
    public static Optional<SendWindow> window(Step step, Sequence sequence) {
        return step.sendWindow().or(sequence::sendWindow);
    }

    /**
     * When {@code step} would fall due for {@code count} enrollments: one made at {@code from}, and one at the same
     * clock time on each following calendar day, on the subscriber's clock, each as if the step were next
     * (its delay counted from that moment, whether from the previous step or from enrollment), then moved to its
     * window. A preview's answer to "when would this go out": it shows what the delay, the window and the zone make
     * of a day, a weekend, a daylight-saving change.
     */
    public static List<Instant> upcoming(Step step, Sequence sequence, Instant from, Optional<ZoneId> subscriberZone,
                                         int count) {
        ZoneId zone = zone(subscriberZone, sequence);
        List<Instant> out = new ArrayList<>(count);
        for (int day = 0; day < count; day++) {
            Instant anchor = from.atZone(zone).plusDays(day).toInstant();
            out.add(of(step, sequence, anchor, anchor, subscriberZone));
        }
        return List.copyOf(out);
    }
}
