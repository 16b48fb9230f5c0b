package io.sequencer.it.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import io.sequencer.adapters.azure.QueueParkingLot;
import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.adapters.json.TickCodec;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.timer.ParkedTick;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.timer.TimerPump;
import io.sequencer.functions.StorageNames;
import io.sequencer.testing.Azurite;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The timer pump on a real queue: a backlog of parked timers moved to the triggered queue, and what it costs. */
class HorizonPumpIT {
    /** Pump throughput and what a parked step costs, counted by the SDK pipeline policy on real queues. */
    @Test
    void the_pump_moves_a_backlog_and_a_parked_step_costs_about_two_transactions_more() throws Exception {
        try (Azurite azurite = Azurite.startPrivate()) {
            StorageClients storage = azurite.clients();
            storage.ensureExists(StorageNames.PARKING_QUEUE);
            storage.ensureExists(StorageNames.TICK_QUEUE);
            QueueParkingLot lot = new QueueParkingLot(storage.queue(StorageNames.PARKING_QUEUE),
                    storage.queue(StorageNames.PARKING_QUEUE + "-poison"));
            var triggered = new io.sequencer.adapters.azure.QueueTimerQueue(storage.queue(StorageNames.TICK_QUEUE),
                    Clock.systemUTC());
            // 1,000 in mvn verify; docs/RELIABILITY.md's figures were taken with -Dhorizon.pump.backlog=2000.
            int backlog = Integer.getInteger("horizon.pump.backlog", 1_000);
            Instant now = Instant.now();
            long beforeParking = storage.queueTransactions();
            for (int i = 0; i < backlog; i++) {
                Tick tick = new Tick(new EnrollmentKey("acme", "seq", "sub-" + i), 1, 1, "s2", now, "t" + i, 1, 0, 0);
                // Due now, so the moved copies are visible at once and can be read back below.
                lot.park(new ParkedTick(tick, now), Duration.ZERO);
            }
            long parkingCost = storage.queueTransactions() - beforeParking;
            var pump = new TimerPump(lot, triggered, Duration.ofMinutes(15), Clock.systemUTC(), 8);
            long beforePump = storage.queueTransactions();
            long started = System.nanoTime();
            int moved = 0;
            // Run after run, as the timer trigger does; a claim that lapsed on a slow batch comes back when its
            // lease ends, so a run that moved nothing waits a moment. Bounded: a timer never moved fails below.
            // Until the parking queue is empty: a move whose parked copy could not be removed in time is moved again
            // (at least once, as DESIGN.md allows), so "moved" may pass the backlog before every timer is across.
            long giveUpAt = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            QueueClient parkingQueue = storage.queue(StorageNames.PARKING_QUEUE);
            while (parkingQueue.getProperties().getApproximateMessagesCount() > 0 && System.nanoTime() < giveUpAt) {
                TimerPump.Run run = pump.run(5_000, Duration.ofSeconds(40));
                moved += run.moved();
                if (run.moved() == 0) {
                    Thread.sleep(1_000);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long pumpCost = storage.queueTransactions() - beforePump;
            System.out.printf("pump: moved %d parked timers in %.1f s = %.0f timers/s; transactions per parked step: "
                            + "park %.2f + pump %.2f (get, put, delete) = %.2f more than a near step's single put%n",
                    moved, seconds, moved / seconds, parkingCost / (double) backlog, pumpCost / (double) backlog,
                    (parkingCost + pumpCost) / (double) backlog - 1);
            assertThat(parkingQueue.getProperties().getApproximateMessagesCount()).as("parking queue emptied").isZero();
            Map<String, Integer> copies = tokensIn(storage.queue(StorageNames.TICK_QUEUE));
            int duplicates = copies.values().stream().mapToInt(n -> n - 1).sum();
            System.out.printf("pump: %d timers in the triggered queue, %d of them duplicates%n", backlog + duplicates,
                    duplicates);
            assertThat(copies.keySet()).as("every parked timer reached the triggered queue")
                    .isEqualTo(IntStream.range(0, backlog).mapToObj(i -> "t" + i).collect(Collectors.toSet()));
            assertThat(duplicates).as("duplicates (dropped by the tick handler) stay rare").isLessThanOrEqualTo(backlog / 50);
            assertThat((parkingCost + pumpCost) / (double) backlog).isLessThan(3.1);
        }
    }

    /** How many copies of each tick token the queue holds; reads every message once (hidden, not deleted). */
    private static Map<String, Integer> tokensIn(QueueClient queue) {
        Map<String, Integer> copies = new HashMap<>();
        while (true) {
            List<QueueMessageItem> batch = queue.receiveMessages(32, Duration.ofMinutes(10), null, Context.NONE)
                    .stream().toList();
            if (batch.isEmpty()) {
                return copies;
            }
            batch.forEach(m -> copies.merge(TickCodec.decode(m.getBody().toString()).token(), 1, Integer::sum));
        }
    }
}
