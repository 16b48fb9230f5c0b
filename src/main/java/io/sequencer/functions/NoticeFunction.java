package io.sequencer.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.sequencer.engine.notification.NoticeDispatcher;
import java.time.Duration;

/**
 * Every 5 seconds, delivers waiting lifecycle events to the accounts' notification URLs, in batches. Events
 * therefore reach the host within seconds, grouped: many state changes, few requests.
 */
public final class NoticeFunction {
    static final Duration BUDGET_PER_RUN = Duration.ofSeconds(40);

    @FunctionName("notify")
    public void notify(@TimerTrigger(name = "timer", schedule = "*/5 * * * * *") String timerInfo,
                       ExecutionContext context) {
        NoticeDispatcher.Run run = FunctionApp.get().engine().noticeDispatcher().drain(BUDGET_PER_RUN);
        if (run.signals() > 0) {
            context.getLogger().info("notify signals=" + run.signals() + " delivered=" + run.delivered()
                    + " failedAccounts=" + run.failedAccounts());
        }
    }
}
