package io.sequencer.domain.limit;

import java.time.Duration;
import java.util.Optional;

/**
 * At most {@code max} sends to one subscriber in any {@code per}, counting the sends of one channel type when
 * {@code channel} is set (e.g. {@code messenger}), else of every channel.
 */
public record FrequencyCap(int max, Duration per, Optional<String> channel) {
    public static final int MAX_MAX = 100;
    public static final Duration SHORTEST = Duration.ofMinutes(1);
    /** The longest period: also how long the send log keeps a send. */
    public static final Duration LONGEST = Duration.ofDays(31);

    public FrequencyCap {
        if (max < 1 || max > MAX_MAX) {
            throw new IllegalArgumentException("max must be 1 to " + MAX_MAX);
        }
        if (per == null || per.compareTo(SHORTEST) < 0 || per.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("per must be from " + SHORTEST + " to " + LONGEST);
        }
        if (channel == null) {
            throw new IllegalArgumentException("channel (possibly empty) is required");
        }
    }

    /** Whether a send on {@code channelType} counts against this cap. */
    public boolean counts(String channelType) {
        return channel.map(channelType::equals).orElse(true);
    }
}
