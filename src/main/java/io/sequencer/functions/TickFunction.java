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
import java.util.List;
import java.util.logging.Level;

/**
 * The queue-triggered functions that wake when a step is due: one per timer shard ({@code tick} for shard 0,
 * {@code tick-1} to {@code tick-3}), since a function has one trigger, all handing the message to {@link #handle}.
 * Every shard keeps its trigger whatever {@code SEQUENCER_TICK_SHARDS} says, so that ticks put in a shard before
 * the setting was lowered still run. A tick throws only when it should be retried by the host (storage
 * unavailable, a malformed message); after {@code maxDequeueCount} failures the host moves the message to its
 * queue's poison queue ({@code sequencer-ticks-poison}, {@code sequencer-ticks-1-poison}, ...). A tick failing
 * its last attempt is first recorded with its error, so that its sequence shows it and it can be replayed.
 */
public final class TickFunction {
    /** The tick functions' names, shard 0 first: their loggers are {@code "Function." + name}. */
    public static final List<String> NAMES = List.of("tick", "tick-1", "tick-2", "tick-3");

    @FunctionName("tick")
    public void tick(
            @QueueTrigger(name = "message", queueName = StorageNames.TICK_QUEUE, connection = "AzureWebJobsStorage")
            String message,
            @BindingName("DequeueCount") long dequeueCount,
            ExecutionContext context) {
        handle(message, dequeueCount, context);
    }

    @FunctionName("tick-1")
    public void tick1(
            @QueueTrigger(name = "message", queueName = StorageNames.TICK_QUEUE_1, connection = "AzureWebJobsStorage")
            String message,
            @BindingName("DequeueCount") long dequeueCount,
            ExecutionContext context) {
        handle(message, dequeueCount, context);
    }

    @FunctionName("tick-2")
    public void tick2(
            @QueueTrigger(name = "message", queueName = StorageNames.TICK_QUEUE_2, connection = "AzureWebJobsStorage")
            String message,
            @BindingName("DequeueCount") long dequeueCount,
            ExecutionContext context) {
        handle(message, dequeueCount, context);
    }

    @FunctionName("tick-3")
    public void tick3(
            @QueueTrigger(name = "message", queueName = StorageNames.TICK_QUEUE_3, connection = "AzureWebJobsStorage")
            String message,
            @BindingName("DequeueCount") long dequeueCount,
            ExecutionContext context) {
        handle(message, dequeueCount, context);
    }

    /** One timer message (a tick, or a group of first ticks), from whichever shard's queue it came. */
    private static void handle(String message, long dequeueCount, ExecutionContext context) {
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
            outcome = app.engine().ticks().handle(tick);
        } catch (RuntimeException failure) {
            if (LastAttempt.isLast(dequeueCount)) {
                LastAttempt.record(app.engine().poisonedTicks(), tick, failure, app.engine().clock().instant(), context.getLogger());
            }
            throw failure;
        }
        context.getLogger().info(TickLog.line(tick, outcome, dequeueCount));
    }

    /**
     * A group of first ticks fell due: each is scheduled on its own (on its enrollment's shard), due now, and handled
     * as any tick. A failure
     * retries the whole group; the ticks scheduled before it come twice, and the tick handler drops the copy.
     */
    private static void fanOut(FunctionApp app, TickGroup group, long dequeueCount, ExecutionContext context) {
        BatchResults.forEachInParallel(group.ticks(), tick -> app.engine().timers().schedule(tick, tick.dueAt()));
        context.getLogger().info("tick group outcome=fanned-out sequence=" + group.sequenceId() + " step="
                + group.stepId() + " ticks=" + group.members().size() + " dequeueCount=" + dequeueCount);
    }
}
