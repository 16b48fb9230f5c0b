package io.sequencer.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.sequencer.adapters.json.BroadcastCodec;
import io.sequencer.domain.FanOutPage;
import io.sequencer.engine.BroadcastFanOut;
import java.util.logging.Level;

/**
 * Fans out one page of a broadcast's audience. It throws only when the page should be retried by the host; a
 * retried page finds its recipients stored and sends nobody twice. After {@code maxDequeueCount} failures the
 * host moves the message to {@code sequencer-broadcast-pages-poison}.
 */
public final class BroadcastFanOutFunction {

    @FunctionName("fanOutBroadcast")
    public void fanOut(
            @QueueTrigger(name = "message", queueName = FunctionApp.BROADCAST_PAGE_QUEUE, connection = "AzureWebJobsStorage")
            String message,
            @BindingName("DequeueCount") long dequeueCount,
            ExecutionContext context) {
        FanOutPage page;
        try {
            page = BroadcastCodec.decodePage(message);
        } catch (BroadcastCodec.MalformedMessage e) {
            context.getLogger().log(Level.SEVERE, "fanOutBroadcast outcome=malformed dequeueCount=" + dequeueCount
                    + " reason=" + e.getMessage());
            throw e;
        }
        BroadcastFanOut.Outcome outcome = FunctionApp.get().broadcastFanOut().handle(page);
        context.getLogger().info("fanOutBroadcast account=" + page.account() + " broadcast=" + page.broadcastId()
                + " page=" + page.page() + " dequeueCount=" + dequeueCount + " outcome=" + outcome);
    }
}
