package io.sequencer.domain.sequence;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;

/** Local clock readings turned into instants without losing or doubling anything at daylight-saving changes. */
final class LocalClock {
    private LocalClock() {}

    /**
     * The first instant at which the zone's clock shows {@code local} or later: the reading itself, its earlier
     * occurrence when a fall-back repeats it, or the end of the gap when a spring-forward skips it.
     */
    static Instant firstInstantAtOrAfter(LocalDateTime local, ZoneId zone) {
        ZoneOffsetTransition transition = zone.getRules().getTransition(local);
        if (transition != null && transition.isGap()) {
            return transition.getInstant();
        }
        return local.atZone(zone).withEarlierOffsetAtOverlap().toInstant();
    }

    /** Every instant at which the clock shows exactly {@code local}: none (gap), one, or two (overlap). */
    static List<Instant> instantsShowing(LocalDateTime local, ZoneId zone) {
        List<java.time.ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
        return offsets.stream().map(offset -> local.toInstant(offset)).sorted().toList();
    }
}
