package io.sequencer.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.sequencer.engine.poison.PoisonSweeper;
import java.time.Duration;

/**
 * Every 30 seconds, moves poisoned ticks from the poison queues to their sequences, where reports show them and
 * {@code poison:replay} puts them back. Poisoning is rare, so a run mostly finds nothing, at the cost of one
 * empty read per queue.
 */
public final class PoisonSweepFunction {
    static final int MAX_MESSAGES_PER_RUN = 5_000;
    static final Duration BUDGET_PER_RUN = Duration.ofSeconds(40);
    static final int MAX_EXPIRED_KEYS_PER_RUN = 1_000;

    @FunctionName("sweepPoison")
    public void sweep(@TimerTrigger(name = "timer", schedule = "*/30 * * * * *") String timerInfo,
                      ExecutionContext context) {
        PoisonSweeper.Run run = FunctionApp.get().engine().poisonSweeper().run(MAX_MESSAGES_PER_RUN, BUDGET_PER_RUN);
        if (run.recorded() > 0 || run.setAside() > 0) {
            context.getLogger().info("sweepPoison recorded=" + run.recorded() + " setAside=" + run.setAside()
                    + " more=" + run.more());
        }
        // Idempotency keys older than 24 h are ignored on read; this bounds the table (a scan every 10 minutes).
        int expiredKeys = FunctionApp.get().engine().idempotentRequests().sweep(MAX_EXPIRED_KEYS_PER_RUN);
        if (expiredKeys > 0) {
            context.getLogger().info("sweepPoison expiredIdempotencyKeys=" + expiredKeys);
        }
    }
}
