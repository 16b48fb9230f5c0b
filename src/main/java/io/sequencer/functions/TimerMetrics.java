package io.sequencer.functions;

import com.azure.storage.queue.QueueClient;
import io.sequencer.engine.timer.ParkingLot;
import io.sequencer.engine.timer.TimerPump;
import java.time.Clock;
import java.time.Duration;

/** Timer metrics: parked and triggered timers (approximate counts) and how late the pump is. */
public record TimerMetrics(long parked, long triggered, Duration horizon, Duration pumpLag) {

    /** Asks the timer queues for their figures, each a storage request. */
    static final class Queries {
        private final ParkingLot parking;
        private final QueueClient tickQueue;
        private final Duration horizon;
        private final Clock clock;

        Queries(ParkingLot parking, QueueClient tickQueue, Duration horizon, Clock clock) {
            this.parking = parking;
            this.tickQueue = tickQueue;
            this.horizon = horizon;
            this.clock = clock;
        }

        /** Timers waiting in the parking queue (approximate). */
        long parkedTimers() {
            return parking.approximateCount();
        }

        /** Messages in the triggered tick queue, hidden ones included (approximate). */
        long triggeredTimers() {
            return tickQueue.getProperties().getApproximateMessagesCount();
        }

        TimerMetrics now() {
            return new TimerMetrics(parkedTimers(), triggeredTimers(), horizon,
                    TimerPump.lagOf(parking.peekVisible(32), clock.instant()));
        }
    }
}
