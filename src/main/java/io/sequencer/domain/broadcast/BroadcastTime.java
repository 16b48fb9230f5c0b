package io.sequencer.domain.broadcast;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * When a broadcast goes out: at one instant for everyone, or at one wall-clock time in each subscriber's own time
 * zone (the fallback zone for subscribers without one), as e-mail tools' time-zone delivery does.
 */
public sealed interface BroadcastTime {

    /** When the message is due for a subscriber in {@code zone} (empty: the subscriber has no time zone). */
    Instant dueFor(Optional<ZoneId> zone);

    /** The earliest instant any subscriber can be due: the fan-out starts shortly before it. */
    Instant earliest();

    /** The last instant any subscriber can be due: past it, the broadcast is late for everyone. */
    Instant latest();

    /** The zone offsets time zones use, from the furthest behind UTC to the furthest ahead. */
    ZoneOffset FURTHEST_BEHIND = ZoneOffset.ofHours(-12);
    ZoneOffset FURTHEST_AHEAD = ZoneOffset.ofHours(14);

    /** Everyone at {@code instant}. */
    record At(Instant instant) implements BroadcastTime {
        public At {
            if (instant == null) {
                throw new IllegalArgumentException("instant is required");
            }
        }

        @Override
        public Instant dueFor(Optional<ZoneId> zone) {
            return instant;
        }

        @Override
        public Instant earliest() {
            return instant;
        }

        @Override
        public Instant latest() {
            return instant;
        }
    }

    /**
     * Each subscriber at {@code local} in their own zone, or in {@code fallback}. A local time that a zone skips
     * (a daylight-saving gap) is taken as the same clock time after the gap; one it repeats, as the earlier.
     */
    record Local(LocalDateTime local, ZoneId fallback) implements BroadcastTime {
        public Local {
            if (local == null || fallback == null) {
                throw new IllegalArgumentException("local time and fallback zone are required");
            }
        }

        @Override
        public Instant dueFor(Optional<ZoneId> zone) {
            return local.atZone(zone.orElse(fallback)).toInstant();
        }

        @Override
        public Instant earliest() {
            return local.toInstant(FURTHEST_AHEAD);
        }

        @Override
        public Instant latest() {
            return local.toInstant(FURTHEST_BEHIND);
        }
    }
}
