package io.sequencer.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.sequencer.adapters.azure.QueueImportQueue;
import io.sequencer.domain.SafeText;
import io.sequencer.engine.imports.ImportPages;
import java.util.logging.Level;

/**
 * Applies an import's staged pages from where it stands, handing on to a next run through the queue. It throws only
 * when the run should be retried by the host; a retried run applies its page again, which changes nothing. A failure
 * of the last attempt the host allows ({@code maxDequeueCount}) marks the import failed with that error.
 */
public final class ImportPageFunction {

    @FunctionName("importPages")
    public void run(
            @QueueTrigger(name = "message", queueName = StorageNames.IMPORT_QUEUE, connection = "AzureWebJobsStorage")
            String message,
            @BindingName("DequeueCount") long dequeueCount,
            ExecutionContext context) {
        String account;
        String importId;
        try {
            QueueImportQueue.Wake wake = QueueImportQueue.decode(message);
            account = wake.account();
            importId = wake.importId();
        } catch (IllegalArgumentException e) {
            context.getLogger().log(Level.SEVERE, "importPages outcome=malformed dequeueCount=" + dequeueCount);
            throw new IllegalArgumentException("malformed import message", e);
        }
        ImportPages pages = FunctionApp.get().engine().importPages();
        ImportPages.Outcome outcome;
        try {
            outcome = pages.run(account, importId);
        } catch (RuntimeException failure) {
            if (LastAttempt.isLast(dequeueCount)) {
                String error = SafeText.summaryOf(failure, LastAttempt.MAX_ERROR);
                try {
                    pages.recordFailure(account, importId, error);
                } catch (RuntimeException alsoFailed) {
                    context.getLogger().severe("importPages account=" + account + " import=" + importId
                            + " failed its last attempt (" + error + ") and could not record it: "
                            + SafeText.summaryOf(alsoFailed, LastAttempt.MAX_ERROR));
                }
            }
            throw failure;
        }
        context.getLogger().info("importPages account=" + account + " import=" + importId + " dequeueCount="
                + dequeueCount + " outcome=" + outcome);
    }
}
