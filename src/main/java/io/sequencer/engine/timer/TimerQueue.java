package io.sequencer.engine.timer;

import io.sequencer.domain.timer.Tick;
import io.sequencer.domain.timer.TickGroup;
import io.sequencer.domain.timer.Timer;
import java.time.Instant;

/**
 * Port: one-shot timed callbacks. A scheduled tick is delivered at least once, never before {@code fireAt}
 * (rounded up to whole seconds). A store with a shorter reach (a storage queue hides a message for at most
 * 7 days) delivers it at its reach instead, and the tick handler sees it is early and schedules the rest.
 */
public interface TimerQueue {
    void schedule(Tick tick, Instant fireAt);

    /**
     * Schedules {@code group} as one message; when it fires, the tick function schedules the group's ticks, each
     * due at once. A store that keeps no groups schedules the ticks at once: the same ticks, fired at the
     * same time, one message each.
     */
    default void schedule(TickGroup group, Instant fireAt) {
        for (Tick tick : group.ticks()) {
            schedule(tick, fireAt);
        }
    }

    /** Schedules a tick or a group. */
    default void schedule(Timer timer, Instant fireAt) {
        if (timer instanceof TickGroup group) {
            schedule(group, fireAt);
        } else {
            schedule((Tick) timer, fireAt);
        }
    }
}
