package io.sequencer.domain.timer;

import java.time.Instant;

/**
 * A timer in the parking queue: the tick, and when it must fire. The fire time is kept apart from the tick's
 * due time because a retry or a hop fires later than the step was due.
 */
public record ParkedTick(Tick tick, Instant fireAt) {
    public ParkedTick {
        if (tick == null || fireAt == null) {
            throw new IllegalArgumentException("tick and fireAt are required");
        }
    }
}
