package io.sequencer.engine;

import io.sequencer.domain.Tick;
import java.time.Duration;

/** Port: one-shot timed callbacks. A scheduled tick is delivered at least once, no sooner than {@code delay}. */
public interface TimerQueue {
    /** @param delay at most {@link io.sequencer.domain.TimerDelay#MAX_VISIBILITY}, whole seconds */
    void schedule(Tick tick, Duration delay);
}
