package io.sequencer.domain.timer;

import java.time.Instant;

/**
 * A timer in the parking queue: the tick (or group of ticks), and when it must fire. The fire time is kept apart
 * from the due time because a retry or a hop fires later than the step was due.
 */
public record ParkedTick(Timer timer, Instant fireAt) {
    public ParkedTick {
        if (timer == null || fireAt == null) {
            throw new IllegalArgumentException("timer and fireAt are required");
        }
    }
}
