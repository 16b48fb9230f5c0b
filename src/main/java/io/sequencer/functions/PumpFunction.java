package io.sequencer.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.sequencer.engine.timer.TimerPump;
import java.time.Duration;

/**
 * Every 15 seconds, moves parked timers (ticks, and broadcast sends) that fall due within the horizon into their
 * triggered queues. Bounded per run; a backlog (after downtime) is worked off over consecutive runs.
 */
public final class PumpFunction {
    static final int MAX_TIMERS_PER_RUN = 5_000;
    static final Duration BUDGET_PER_RUN = Duration.ofSeconds(40);

    @FunctionName("pump")
    public void pump(@TimerTrigger(name = "timer", schedule = "*/15 * * * * *") String timerInfo,
                     ExecutionContext context) {
        FunctionApp app = FunctionApp.get();
        TimerPump.Run run = app.engine().pump().run(MAX_TIMERS_PER_RUN, BUDGET_PER_RUN);
        int broadcastSends = app.broadcastQueue().pumpParked(MAX_TIMERS_PER_RUN);
        // The run measured the lag itself; only the two counts cost a request each.
        context.getLogger().info("pump moved=" + run.moved() + " reparked=" + run.reparked() + " lapsed=" + run.lapsed()
                + " lagMs=" + run.lag().toMillis()
                + " more=" + run.more() + " parked=" + app.parkedTimers() + " triggered=" + app.triggeredTimers()
                + " broadcastSendsMoved=" + broadcastSends);
    }
}
