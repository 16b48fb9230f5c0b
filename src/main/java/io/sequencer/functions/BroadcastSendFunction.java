package io.sequencer.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.sequencer.adapters.json.BroadcastCodec;
import io.sequencer.domain.SafeText;
import io.sequencer.domain.broadcast.SendChunk;
import io.sequencer.engine.broadcast.BroadcastSender;
import java.util.logging.Level;

/**
 * Sends a broadcast to the few subscribers one message names, when they are due. It throws only when the message
 * should be retried by the host (storage unavailable, a malformed message); recipients already sent are not sent
 * again. On the last attempt the host allows ({@code maxDequeueCount}), a failure records the message's unsettled
 * recipients as failed with its error (the report shows them), and the host moves it to
 * {@code sequencer-broadcast-sends-poison}.
 */
public final class BroadcastSendFunction {

    @FunctionName("sendBroadcast")
    public void send(
            @QueueTrigger(name = "message", queueName = StorageNames.BROADCAST_SEND_QUEUE, connection = "AzureWebJobsStorage")
            String message,
            @BindingName("DequeueCount") long dequeueCount,
            ExecutionContext context) {
        SendChunk chunk;
        try {
            chunk = BroadcastCodec.decodeChunk(message);
        } catch (BroadcastCodec.MalformedMessage e) {
            context.getLogger().log(Level.SEVERE, "sendBroadcast outcome=malformed dequeueCount=" + dequeueCount
                    + " reason=" + e.getMessage());
            throw e;
        }
        BroadcastSender sender = FunctionApp.get().engine().broadcastSender();
        BroadcastSender.Outcome outcome;
        try {
            outcome = sender.handle(chunk);
        } catch (RuntimeException failure) {
            if (LastAttempt.isLast(dequeueCount)) {
                try {
                    int recorded = sender.abandon(chunk, SafeText.summaryOf(failure, LastAttempt.MAX_ERROR));
                    context.getLogger().severe("sendBroadcast account=" + chunk.account() + " broadcast="
                            + chunk.broadcastId() + " gave up on its last attempt; recipients recorded as failed="
                            + recorded);
                } catch (RuntimeException alsoFailed) {
                    context.getLogger().severe("sendBroadcast account=" + chunk.account() + " broadcast="
                            + chunk.broadcastId() + " gave up on its last attempt and could not record it: "
                            + SafeText.summaryOf(alsoFailed, LastAttempt.MAX_ERROR));
                }
            }
            throw failure;
        }
        context.getLogger().info("sendBroadcast account=" + chunk.account() + " broadcast=" + chunk.broadcastId()
                + " recipients=" + chunk.subscriberIds().size() + " dequeueCount=" + dequeueCount + " outcome=" + outcome);
    }
}
