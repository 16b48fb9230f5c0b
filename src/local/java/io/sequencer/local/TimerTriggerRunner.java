package io.sequencer.local;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one timer-triggered function on its NCRONTAB schedule, one invocation at a time, as the Functions host
 * does (which also holds a lease so that only one instance runs it). A failed run is logged; the next runs on
 * schedule. A stop wakes it from waiting but never interrupts a run: an interrupted storage call would only log
 * errors, and a run cut short by the process exiting is what the functions are written to survive.
 */
final class TimerTriggerRunner implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TimerTriggerRunner.class.getName());

    private final StagedApp.FunctionDefinition function;
    private final CronSchedule schedule;
    private final FunctionInvoker invoker;
    private final Thread thread;
    /** Counted down by {@link #stop}: ends the wait for the next run at once. */
    private final CountDownLatch stopping = new CountDownLatch(1);

    TimerTriggerRunner(StagedApp.FunctionDefinition function, String schedule, FunctionInvoker invoker) {
        this.function = function;
        this.schedule = CronSchedule.parse(schedule);
        this.invoker = invoker;
        this.thread = new Thread(this::loop, "local-timer-" + function.name());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void loop() {
        Instant next = schedule.next(Instant.now());
        while (stopping.getCount() > 0) {
            try {
                long wait = next.toEpochMilli() - System.currentTimeMillis();
                if (wait > 0) {
                    stopping.await(wait, TimeUnit.MILLISECONDS);
                    continue;
                }
                Instant now = Instant.now();
                boolean pastDue = now.isAfter(next.plusSeconds(1));
                invoker.invoke("{\"Schedule\":{\"AdjustForDST\":true},\"IsPastDue\":" + pastDue + "}", Map.of());
                next = schedule.next(Instant.now());
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                LOG.log(Level.WARNING, "timer function " + function.name() + " failed: " + e);
                next = schedule.next(Instant.now());
            }
        }
    }

    /** Starts no new run; returns at once (see {@link #awaitStopped}). */
    void stop() {
        stopping.countDown();
    }

    /** Waits until {@code deadline} (a {@link System#nanoTime} value) for a run in progress to end. */
    void awaitStopped(long deadline) {
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        awaitStopped(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
    }
}
