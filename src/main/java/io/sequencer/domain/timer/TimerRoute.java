package io.sequencer.domain.timer;

import java.time.Duration;

/**
 * Where a timer waits. The triggered queue holds only what falls due within the horizon, because the Functions
 * scale controller counts hidden messages too: a timer due later waits in the parking queue, which nothing
 * triggers, and the pump moves it across shortly before it is due. This is the one place where the 7-day
 * visibility cap is applied to parked timers: a longer wait is parked again by the pump, in hops.
 */
public sealed interface TimerRoute {

    /** Straight into the triggered queue, hidden for {@code delay}. */
    record Near(Duration delay) implements TimerRoute {}

    /** Into the parking queue, hidden for {@code visibility} (at most 7 days), then pumped. */
    record Park(Duration visibility) implements TimerRoute {}

    /**
     * @param delay how long until the timer must fire (whole seconds, not negative)
     * @param horizon how far ahead the triggered queue may hold timers
     */
    static TimerRoute of(Duration delay, Duration horizon) {
        if (delay.compareTo(horizon) <= 0) {
            return new Near(delay);
        }
        Duration untilPumped = delay.minus(horizon);
        return new Park(untilPumped.compareTo(TimerDelay.MAX_VISIBILITY) > 0 ? TimerDelay.MAX_VISIBILITY : untilPumped);
    }
}
