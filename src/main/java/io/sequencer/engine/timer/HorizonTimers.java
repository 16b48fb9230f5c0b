package io.sequencer.engine.timer;

import io.sequencer.domain.timer.ParkedTick;
import io.sequencer.domain.timer.Tick;
import io.sequencer.domain.timer.TickGroup;
import io.sequencer.domain.timer.Timer;
import io.sequencer.domain.timer.TimerDelay;
import io.sequencer.domain.timer.TimerRoute;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@link TimerQueue} the engine uses: timers due within the horizon go into the triggered queue, later ones
 * into the parking lot, to be moved across by the {@link TimerPump}.
 */
public final class HorizonTimers implements TimerQueue {
    private final TimerQueue triggered;
    private final ParkingLot parking;
    private final Duration horizon;
    private final Clock clock;

    public HorizonTimers(TimerQueue triggered, ParkingLot parking, Duration horizon, Clock clock) {
        if (horizon.isNegative() || horizon.compareTo(TimerDelay.MAX_VISIBILITY) > 0) {
            throw new IllegalArgumentException("horizon must be 0 to 7 days, was " + horizon);
        }
        this.triggered = triggered;
        this.parking = parking;
        this.horizon = horizon;
        this.clock = clock;
    }

    @Override
    public void schedule(Tick tick, Instant fireAt) {
        route(tick, fireAt);
    }

    @Override
    public void schedule(TickGroup group, Instant fireAt) {
        route(group, fireAt);
    }

    private void route(Timer timer, Instant fireAt) {
        TimerRoute route = TimerRoute.of(TimerDelay.untilUncapped(clock.instant(), fireAt), horizon);
        if (route instanceof TimerRoute.Near) {
            triggered.schedule(timer, fireAt);
        } else {
            parking.park(new ParkedTick(timer, fireAt), ((TimerRoute.Park) route).visibility());
        }
    }
}
