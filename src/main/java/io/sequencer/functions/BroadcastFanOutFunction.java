package io.sequencer.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.sequencer.adapters.json.BroadcastCodec;
import io.sequencer.domain.SafeText;
import io.sequencer.domain.broadcast.FanOutPage;
import io.sequencer.engine.broadcast.BroadcastFanOut;
import java.util.logging.Level;

/**
 * Fans out one page of a broadcast's audience. It throws only when the page should be retried by the host; a
 * retried page finds its recipients stored and sends nobody twice. A failure of the last attempt the host allows
 * ({@code maxDequeueCount}) is recorded on the broadcast, whose fan-out then shows as failed with that error until
 * a repeated PUT resumes it; the host moves the message to {@code sequencer-broadcast-pages-poison}.
 */
public final class BroadcastFanOutFunction {

    @FunctionName("fanOutBroadcast")
    public void fanOut(
            @QueueTrigger(name = "message", queueName = StorageNames.BROADCAST_PAGE_QUEUE, connection = "AzureWebJobsStorage")
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
        BroadcastFanOut fanOut = FunctionApp.get().engine().broadcastFanOut();
        BroadcastFanOut.Outcome outcome;
        try {
            outcome = fanOut.handle(page);
        } catch (RuntimeException failure) {
            if (LastAttempt.isLast(dequeueCount)) {
                String error = SafeText.summaryOf(failure, LastAttempt.MAX_ERROR);
                try {
                    fanOut.recordFailure(page, error);
                } catch (RuntimeException alsoFailed) {
                    context.getLogger().severe("fanOutBroadcast account=" + page.account() + " broadcast="
                            + page.broadcastId() + " page=" + page.page() + " failed its last attempt (" + error
                            + ") and could not record it: " + SafeText.summaryOf(alsoFailed, LastAttempt.MAX_ERROR));
                }
            }
            throw failure;
        }
        context.getLogger().info("fanOutBroadcast account=" + page.account() + " broadcast=" + page.broadcastId()
                + " page=" + page.page() + " dequeueCount=" + dequeueCount + " outcome=" + outcome);
    }
}
