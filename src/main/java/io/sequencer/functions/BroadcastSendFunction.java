package io.sequencer.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.sequencer.adapters.json.BroadcastCodec;
import io.sequencer.domain.SendChunk;
import io.sequencer.engine.BroadcastSender;
import java.util.logging.Level;

/**
 * Sends a broadcast to the few subscribers one message names, when they are due. It throws only when the message
 * should be retried by the host (storage unavailable, a malformed message); recipients already sent are not sent
 * again. After {@code maxDequeueCount} failures the host moves it to {@code sequencer-broadcast-sends-poison}.
 */
public final class BroadcastSendFunction {

    @FunctionName("sendBroadcast")
    public void send(
            @QueueTrigger(name = "message", queueName = FunctionApp.BROADCAST_SEND_QUEUE, connection = "AzureWebJobsStorage")
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
        BroadcastSender.Outcome outcome = FunctionApp.get().broadcastSender().handle(chunk);
        context.getLogger().info("sendBroadcast account=" + chunk.account() + " broadcast=" + chunk.broadcastId()
                + " recipients=" + chunk.subscriberIds().size() + " dequeueCount=" + dequeueCount + " outcome=" + outcome);
    }
}
