package io.sequencer.engine.timer;

import io.sequencer.domain.timer.ParkedTick;
import java.time.Duration;
import java.util.List;

/** Port: where far-future timers wait, out of sight of the queue trigger and its scale controller. */
public interface ParkingLot {

    /** Parks a timer, hidden for {@code visibility} (at most 7 days). */
    void park(ParkedTick parked, Duration visibility);

    /** Up to {@code max} parked timers whose visibility has passed, each leased to this caller for {@code lease}. */
    List<Claim> claimVisible(int max, Duration lease);

    /** Up to {@code max} parked timers visible now, without claiming them (for metrics). */
    List<ParkedTick> peekVisible(int max);

    /** Removes a claimed timer; it was moved on. */
    void remove(Claim claim);

    /** Roughly how many timers are parked (visible or not). */
    long approximateCount();

    /** One claimed parked timer; {@code receipt} identifies the claim to the store. */
    record Claim(ParkedTick parked, Object receipt) {}
}
