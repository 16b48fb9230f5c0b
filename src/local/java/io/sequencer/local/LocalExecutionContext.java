package io.sequencer.local;

import com.microsoft.azure.functions.ExecutionContext;
import java.util.UUID;
import java.util.logging.Logger;

/** The execution context handed to each invocation: a fresh invocation id and the function's logger. */
record LocalExecutionContext(String functionName, String invocationId, Logger logger) implements ExecutionContext {
    static LocalExecutionContext forInvocation(String functionName) {
        return new LocalExecutionContext(functionName, UUID.randomUUID().toString(),
                Logger.getLogger("Function." + functionName));
    }

    @Override
    public Logger getLogger() {
        return logger;
    }

    @Override
    public String getInvocationId() {
        return invocationId;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }
}
