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

    /**
     * Removes a claimed timer once it was moved on. Answers false, changing nothing, when the claim's lease ran
     * out first and another pump claimed the timer again (or already removed it): that pump moves it now.
     */
    boolean remove(Claim claim);

    /** Roughly how many timers are parked (visible or not). */
    long approximateCount();

    /** One claimed parked timer; {@code receipt} identifies the claim to the store. */
    record Claim(ParkedTick parked, Object receipt) {}
}
