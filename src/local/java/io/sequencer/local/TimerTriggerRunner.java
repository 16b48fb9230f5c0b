package io.sequencer.local;

import java.time.Instant;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one timer-triggered function on its NCRONTAB schedule, one invocation at a time, as the Functions host
 * does (which also holds a lease so that only one instance runs it). A failed run is logged; the next runs on
 * schedule.
 */
final class TimerTriggerRunner implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TimerTriggerRunner.class.getName());

    private final StagedApp.FunctionDefinition function;
    private final CronSchedule schedule;
    private final FunctionInvoker invoker;
    private final Thread thread;
    private volatile boolean running = true;

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
        while (running) {
            try {
                long wait = next.toEpochMilli() - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
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

    void stop() {
        running = false;
        thread.interrupt();
    }

    @Override
    public void close() {
        stop();
    }
}
