package io.sequencer.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.sequencer.adapters.json.JobJson;
import io.sequencer.domain.SafeText;
import io.sequencer.engine.job.BulkJobs;
import io.sequencer.engine.job.JobPage;
import java.util.logging.Level;

/**
 * Runs one page of a bulk job. It throws only when the page should be retried by the host; a retried page acts on
 * the same subscribers again, which changes nothing for those already done. A failure of the last attempt the host
 * allows is recorded on the job, which then shows as failed with that error; the host moves the message to
 * {@code sequencer-job-pages-poison}.
 */
public final class JobPageFunction {

    @FunctionName("runJobPage")
    public void run(
            @QueueTrigger(name = "message", queueName = StorageNames.JOB_PAGE_QUEUE, connection = "AzureWebJobsStorage")
            String message,
            @BindingName("DequeueCount") long dequeueCount,
            ExecutionContext context) {
        JobPage page;
        try {
            page = JobJson.decodePage(message);
        } catch (JobJson.MalformedPage e) {
            context.getLogger().log(Level.SEVERE, "runJobPage outcome=malformed dequeueCount=" + dequeueCount
                    + " reason=" + e.getMessage());
            throw e;
        }
        BulkJobs jobs = FunctionApp.get().engine().jobs();
        BulkJobs.Outcome outcome;
        try {
            outcome = jobs.handle(page);
        } catch (RuntimeException failure) {
            if (LastAttempt.isLast(dequeueCount)) {
                String error = SafeText.summaryOf(failure, LastAttempt.MAX_ERROR);
                try {
                    jobs.recordFailure(page, error);
                } catch (RuntimeException alsoFailed) {
                    context.getLogger().severe("runJobPage account=" + page.account() + " job=" + page.jobId()
                            + " page=" + page.page() + " failed its last attempt (" + error
                            + ") and could not record it: " + SafeText.summaryOf(alsoFailed, LastAttempt.MAX_ERROR));
                }
            }
            throw failure;
        }
        context.getLogger().info("runJobPage account=" + page.account() + " job=" + page.jobId() + " page="
                + page.page() + " dequeueCount=" + dequeueCount + " outcome=" + outcome);
    }
}
