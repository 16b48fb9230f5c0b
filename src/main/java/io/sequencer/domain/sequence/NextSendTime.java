package io.sequencer.domain.sequence;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
}
