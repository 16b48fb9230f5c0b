package io.sequencer.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.sequencer.adapters.json.TickCodec;
import io.sequencer.domain.timer.Tick;
import io.sequencer.domain.timer.TickGroup;
import io.sequencer.domain.timer.Timer;
import io.sequencer.engine.tick.TickOutcome;
import java.util.logging.Level;

/**
 * The queue-triggered function that wakes when a step is due. It throws only when the tick should be retried
 * by the host (storage unavailable, a malformed message); after {@code maxDequeueCount} failures the host
 * moves the message to {@code sequencer-ticks-poison}. A tick failing its last attempt is first recorded with
 * its error, so that its sequence shows it and it can be replayed.
 */
public final class TickFunction {

    @FunctionName("tick")
    public void tick(
            @QueueTrigger(name = "message", queueName = StorageNames.TICK_QUEUE, connection = "AzureWebJobsStorage")
            String message,
            @BindingName("DequeueCount") long dequeueCount,
            ExecutionContext context) {
        Timer timer;
        try {
            timer = TickCodec.decodeTimer(message);
        } catch (TickCodec.MalformedTick e) {
            context.getLogger().log(Level.SEVERE, "tick outcome=malformed dequeueCount=" + dequeueCount + " reason=" + e.getMessage());
            throw e;
        }
        FunctionApp app = FunctionApp.get();
        if (timer instanceof TickGroup group) {
            fanOut(app, group, dequeueCount, context);
            return;
        }
        Tick tick = (Tick) timer;
        TickOutcome outcome;
        try {
            outcome = app.ticks().handle(tick);
        } catch (RuntimeException failure) {
            if (LastAttempt.isLast(dequeueCount)) {
                LastAttempt.record(app.poisonedTicks(), tick, failure, app.clock().instant(), context.getLogger());
            }
            throw failure;
        }
        context.getLogger().info(TickLog.line(tick, outcome, dequeueCount));
    }

    /**
     * A group of first ticks fell due: each is scheduled on its own, due now, and handled as any tick. A failure
     * retries the whole group; the ticks scheduled before it come twice, and the tick handler drops the copy.
     */
    private static void fanOut(FunctionApp app, TickGroup group, long dequeueCount, ExecutionContext context) {
        BatchResults.forEachInParallel(group.ticks(), tick -> app.timers().schedule(tick, tick.dueAt()));
        context.getLogger().info("tick group outcome=fanned-out sequence=" + group.sequenceId() + " step="
                + group.stepId() + " ticks=" + group.members().size() + " dequeueCount=" + dequeueCount);
    }
}
