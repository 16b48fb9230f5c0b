package io.sequencer.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.sequencer.adapters.json.TickCodec;
import io.sequencer.domain.Tick;
import io.sequencer.engine.TickOutcome;
import java.util.logging.Level;

/**
 * The queue-triggered function that wakes when a step is due. It throws only when the tick should be retried
 * by the host (storage unavailable, a malformed message); after {@code maxDequeueCount} failures the host
 * moves the message to {@code sequencer-ticks-poison}.
 */
public final class TickFunction {

    @FunctionName("tick")
    public void tick(
            @QueueTrigger(name = "message", queueName = FunctionApp.TICK_QUEUE, connection = "AzureWebJobsStorage")
            String message,
            @BindingName("DequeueCount") long dequeueCount,
            ExecutionContext context) {
        Tick tick;
        try {
            tick = TickCodec.decode(message);
        } catch (TickCodec.MalformedTick e) {
            context.getLogger().log(Level.SEVERE, "tick outcome=malformed dequeueCount=" + dequeueCount + " reason=" + e.getMessage());
            throw e;
        }
        TickOutcome outcome = FunctionApp.get().ticks().handle(tick);
        context.getLogger().info(TickLog.line(tick, outcome, dequeueCount));
    }
}
