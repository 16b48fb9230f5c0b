package io.sequencer.engine.timer;

import io.sequencer.domain.timer.ParkedTick;
import io.sequencer.domain.timer.TimerDelay;
import io.sequencer.domain.timer.TimerRoute;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Moves parked timers into the triggered queue shortly before they fire (or parks them again for the next hop
 * of a wait longer than 7 days). It never sends anything: every check stays with the tick handler.
 *
 * <p>Safe on several instances at once (each claim is a lease), bounded per run, and crash-safe: a timer is
 * scheduled before its parked copy is removed, so a crash in between leaves a duplicate, which the tick
 * handler's epoch, cursor and token checks drop, never a loss. Within a run, {@code parallelism} workers claim
 * and move batches side by side, since each move is a few storage round trips of waiting. A batch that takes
 * longer than its lease (a slow instance, a throttled account) is not an error: claims whose lease has nearly
 * run out are left for the next claimant, and a claim lost to another pump is counted as lapsed.
 */
public final class TimerPump {
    /** How long a claimed timer stays hidden from other pumps while this one moves it. */
    public static final Duration LEASE = Duration.ofMinutes(1);
    /** A claim with less lease than this left is not moved: the move might finish after another pump claims it. */
    static final Duration LEASE_MARGIN = Duration.ofSeconds(10);
    private static final int BATCH = 32;

    private final ParkingLot parking;
    private final TimerQueue triggered;
    private final Duration horizon;
    private final Clock clock;
    private final int parallelism;

    public TimerPump(ParkingLot parking, TimerQueue triggered, Duration horizon, Clock clock, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        this.parking = parking;
        this.triggered = triggered;
        this.horizon = horizon;
        this.clock = clock;
        this.parallelism = parallelism;
    }

    /**
     * What one run did; {@code lapsed} counts claims whose lease ran out before this run finished with them (left
     * for, or moved as well by, the next claimant); {@code lag} is how far past its fire time the most overdue
     * moved timer already was; {@code more} says timers were left for the next run (its limit or budget was
     * reached, or claims lapsed).
     */
    public record Run(int moved, int reparked, int lapsed, Duration lag, boolean more) {}

    /** How far past its fire time the most overdue of {@code parked} is (zero when none is overdue). */
    public static Duration lagOf(List<ParkedTick> parked, Instant now) {
        Duration lag = Duration.ZERO;
        for (ParkedTick p : parked) {
            Duration overdue = Duration.between(p.fireAt(), now);
            if (overdue.compareTo(lag) > 0) {
                lag = overdue;
            }
        }
        return lag;
    }

    /** Moves up to {@code maxTimers} timers, stopping early after {@code budget}. */
    public Run run(int maxTimers, Duration budget) {
        Instant deadline = clock.instant().plus(budget);
        AtomicInteger permits = new AtomicInteger(maxTimers);
        AtomicInteger moved = new AtomicInteger();
        AtomicInteger reparked = new AtomicInteger();
        AtomicInteger lapsed = new AtomicInteger();
        AtomicReference<Duration> lag = new AtomicReference<>(Duration.ZERO);
        AtomicBoolean drained = new AtomicBoolean(false);
        Runnable worker = () -> {
            while (!drained.get() && clock.instant().isBefore(deadline)) {
                int want = permits.getAndUpdate(left -> left - Math.min(left, BATCH));
                want = Math.min(want, BATCH);
                if (want == 0) {
                    return;
                }
                Instant stopMovingAt = clock.instant().plus(LEASE).minus(LEASE_MARGIN);
                List<ParkingLot.Claim> claims = parking.claimVisible(want, LEASE);
                permits.addAndGet(want - claims.size());
                if (claims.isEmpty()) {
                    drained.set(true);
                    return;
                }
                for (ParkingLot.Claim claim : claims) {
                    if (clock.instant().isBefore(stopMovingAt)) {
                        move(claim, moved, reparked, lapsed, lag);
                    } else {
                        lapsed.incrementAndGet();
                    }
                }
            }
        };
        if (parallelism == 1) {
            worker.run();
        } else {
            runInParallel(worker);
        }
        // Lapsed claims come back when their lease ends: the next run has them, so this one did not drain the lot.
        return new Run(moved.get(), reparked.get(), lapsed.get(), lag.get(), !drained.get() || lapsed.get() > 0);
    }

    private void move(ParkingLot.Claim claim, AtomicInteger moved, AtomicInteger reparked, AtomicInteger lapsed,
                      AtomicReference<Duration> lag) {
        ParkedTick parked = claim.parked();
        Instant now = clock.instant();
        Duration overdue = Duration.between(parked.fireAt(), now);
        lag.accumulateAndGet(overdue, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        TimerRoute route = TimerRoute.of(TimerDelay.untilUncapped(now, parked.fireAt()), horizon);
        if (route instanceof TimerRoute.Near) {
            triggered.schedule(parked.timer(), parked.fireAt());
            moved.incrementAndGet();
        } else {
            parking.park(parked, ((TimerRoute.Park) route).visibility());
            reparked.incrementAndGet();
        }
        if (!parking.remove(claim)) {
            // Moved twice, by this pump and the one that claimed it again: the tick handler drops the duplicate.
            lapsed.incrementAndGet();
        }
    }

    private void runInParallel(Runnable worker) {
        ExecutorService workers = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "timer-pump");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < parallelism; i++) {
                running.add(workers.submit(worker));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("pump run interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            workers.shutdownNow();
        }
    }
}
