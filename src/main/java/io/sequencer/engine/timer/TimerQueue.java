package io.sequencer.engine.timer;

import io.sequencer.domain.timer.Tick;
import java.time.Instant;

/**
 * Port: one-shot timed callbacks. A scheduled tick is delivered at least once, never before {@code fireAt}
 * (rounded up to whole seconds). A store with a shorter reach (a storage queue hides a message for at most
 * 7 days) delivers it at its reach instead, and the tick handler sees it is early and schedules the rest.
 */
public interface TimerQueue {
    void schedule(Tick tick, Instant fireAt);
}
