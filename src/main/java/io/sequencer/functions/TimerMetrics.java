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
 * Timer metrics: parked timers and the triggered ones of each shard's queue (approximate counts), how many shards
 * new ticks go to, how late the pump is, and how many messages wait in each poison queue (a person looks at those;
 * the sweeper drains the ticks' and the parked ones).
 *
 * @param triggeredByQueue messages in each shard's triggered queue, hidden ones included, by queue name: every
 *     shard that has a trigger, those beyond {@code shards} too (they drain what was put there before)
 */
record TimerMetrics(long parked, Map<String, Long> triggeredByQueue, int shards, Duration horizon, Duration pumpLag,
                    Map<String, Long> poisoned) {

    /** Messages in the triggered queues of every shard together. */
    long triggered() {
        return sum(triggeredByQueue);
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Asks the timer queues for their figures, each a storage request. */
    static final class Queries {
        private final ParkingLot parking;
        private final Map<String, QueueClient> tickQueues;
        private final int shards;
        private final Map<String, QueueClient> poisonQueues;
        private final Duration horizon;
        private final Clock clock;

        /** {@code tickQueues}: every shard's triggered queue, by name, shard 0 first. */
        Queries(ParkingLot parking, Map<String, QueueClient> tickQueues, int shards,
                Map<String, QueueClient> poisonQueues, Duration horizon, Clock clock) {
            this.parking = parking;
            this.tickQueues = tickQueues;
            this.shards = shards;
            this.poisonQueues = poisonQueues;
            this.horizon = horizon;
            this.clock = clock;
        }

        /** Timers waiting in the parking queue (approximate). */
        long parkedTimers() {
            return parking.approximateCount();
        }

        /** Messages in the triggered tick queues of every shard, hidden ones included (approximate). */
        long triggeredTimers() {
            return sum(triggeredByQueue());
        }

        private Map<String, Long> triggeredByQueue() {
            return counts(tickQueues);
        }

        /** Messages in each queue, by queue name (approximate; 0 for one the host has not made yet). */
        private static Map<String, Long> counts(Map<String, QueueClient> queues) {
            Map<String, Long> counts = new LinkedHashMap<>();
            queues.forEach((name, queue) -> {
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
            return new TimerMetrics(parkedTimers(), triggeredByQueue(), shards, horizon,
                    TimerPump.lagOf(parking.peekVisible(32), clock.instant()), counts(poisonQueues));
        }
    }
}
