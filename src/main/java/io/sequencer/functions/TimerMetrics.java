package io.sequencer.functions;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueStorageException;
import io.sequencer.engine.timer.ParkingLot;
import io.sequencer.engine.timer.TimerPump;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Timer metrics: parked and triggered timers (approximate counts), how late the pump is, and how many messages
 * wait in each poison queue (a person looks at those; the sweeper drains the tick and parked ones).
 */
record TimerMetrics(long parked, long triggered, Duration horizon, Duration pumpLag, Map<String, Long> poisoned) {

    /** Asks the timer queues for their figures, each a storage request. */
    static final class Queries {
        private final ParkingLot parking;
        private final QueueClient tickQueue;
        private final Map<String, QueueClient> poisonQueues;
        private final Duration horizon;
        private final Clock clock;

        Queries(ParkingLot parking, QueueClient tickQueue, Map<String, QueueClient> poisonQueues, Duration horizon,
                Clock clock) {
            this.parking = parking;
            this.tickQueue = tickQueue;
            this.poisonQueues = poisonQueues;
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

        /** Messages in each poison queue, by queue name (approximate; 0 for one the host has not made yet). */
        Map<String, Long> poisoned() {
            Map<String, Long> counts = new LinkedHashMap<>();
            poisonQueues.forEach((name, queue) -> {
                try {
                    counts.put(name, (long) queue.getProperties().getApproximateMessagesCount());
                } catch (QueueStorageException e) {
                    if (e.getStatusCode() != 404) {
                        throw e;
                    }
                    counts.put(name, 0L); // the host makes a trigger's poison queue when it first poisons a message
                }
            });
            return counts;
        }

        TimerMetrics now() {
            return new TimerMetrics(parkedTimers(), triggeredTimers(), horizon,
                    TimerPump.lagOf(parking.peekVisible(32), clock.instant()), poisoned());
        }
    }
}
