package io.sequencer.local;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls a function's entry point as the Java worker does: finds the public method {@code Class.method} that the
 * class itself declares (an inherited one is not found), makes a new instance of the class for every invocation
 * (so no state lives in a function object between calls), then binds each parameter by its annotation: the trigger
 * payload, {@code @BindingName} values (route parameters or trigger metadata such as {@code DequeueCount})
 * converted to the parameter's type, and the context. A {@code @BindingName} with no value to bind is an error,
 * not a null. A run that takes longer than host.json's {@code functionTimeout} is ended as the host ends it: the
 * caller gets a {@link FunctionTimeout}, and the function's thread is interrupted (the host restarts the worker
 * process instead, which no function can ignore; one here that ignores interrupts runs on, unheard).
 */
final class FunctionInvoker {
    private static final ExecutorService RUNS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "local-function");
        t.setDaemon(true);
        return t;
    });

    private final String functionName;
    private final Constructor<?> constructor;
    private final Method method;
    private final Duration timeout;

    /** A run of the function that went past {@code functionTimeout}. */
    static final class FunctionTimeout extends Exception {
        FunctionTimeout(String function, Duration timeout) {
            super("Timeout value of " + timeout + " exceeded by function " + function);
        }
    }

    FunctionInvoker(StagedApp.FunctionDefinition definition, ClassLoader loader, Duration timeout) {
        this.functionName = definition.name();
        this.timeout = timeout;
        try {
            Class<?> type = Class.forName(definition.className(), true, loader);
            List<Method> declared = Arrays.stream(type.getDeclaredMethods())
                    .filter(m -> m.getName().equals(definition.methodName()) && Modifier.isPublic(m.getModifiers()))
                    .toList();
            if (declared.size() != 1) {
                throw new IllegalStateException((declared.isEmpty() ? "no public method " : "more than one method ")
                        + definition.methodName() + " declared by " + definition.className());
            }
            this.method = declared.get(0);
            this.constructor = type.getDeclaredConstructor();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load function " + definition.name(), e);
        }
    }

    /**
     * Invokes the function on a new instance and waits for it; the function's own exception is rethrown as-is
     * (unwrapped). @throws FunctionTimeout when it runs past {@code functionTimeout}
     */
    Object invoke(Object triggerValue, Map<String, String> bindingData) throws Exception {
        return await(start(triggerValue, bindingData));
    }

    /**
     * As {@link #invoke}, but the caller waits at most {@code answerWithin}: if the function has not finished by
     * then (and has time left before its {@code functionTimeout}), it runs on, ended at its timeout, and the
     * caller gets {@link NoAnswerYet}.
     */
    Object invokeWithin(Object triggerValue, Map<String, String> bindingData, Duration answerWithin) throws Exception {
        if (answerWithin.compareTo(timeout) >= 0) {
            return invoke(triggerValue, bindingData);
        }
        Future<Object> run = start(triggerValue, bindingData);
        try {
            return run.get(answerWithin.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            RUNS.execute(() -> {
                try {
                    await(run, timeout.minus(answerWithin));
                } catch (Exception endedOrFailed) {
                    // nobody is listening any more; a timeout was logged by the caller's 502 already
                }
            });
            throw new NoAnswerYet();
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof Exception cause ? cause : failed;
        }
    }

    /** A run still going when its caller stopped waiting for it. */
    static final class NoAnswerYet extends Exception {
        NoAnswerYet() {
            super("no answer yet");
        }
    }

    private Future<Object> start(Object triggerValue, Map<String, String> bindingData) {
        return RUNS.submit(() -> call(triggerValue, bindingData));
    }

    private Object await(Future<Object> run) throws Exception {
        return await(run, timeout);
    }

    /** Waits up to {@code left} for a started run, interrupting it then. @throws FunctionTimeout when it is late */
    private Object await(Future<Object> run, Duration left) throws Exception {
        try {
            return run.get(left.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            run.cancel(true);
            throw new FunctionTimeout(functionName, timeout);
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof Exception cause ? cause : failed;
        }
    }

    private Object call(Object triggerValue, Map<String, String> bindingData) throws Exception {
        ExecutionContext context = LocalExecutionContext.forInvocation(functionName);
        Parameter[] parameters = method.getParameters();
        Object[] args = new Object[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            Parameter p = parameters[i];
            if (p.isAnnotationPresent(HttpTrigger.class) || p.isAnnotationPresent(QueueTrigger.class)
                    || p.isAnnotationPresent(TimerTrigger.class)) {
                args[i] = triggerValue;
            } else if (p.isAnnotationPresent(BindingName.class)) {
                String name = p.getAnnotation(BindingName.class).value();
                if (!bindingData.containsKey(name)) {
                    throw new IllegalStateException(functionName + ": no value to bind to @BindingName(\"" + name
                            + "\"): not a route parameter or trigger metadata of this invocation");
                }
                args[i] = convert(bindingData.get(name), p.getType());
            } else if (ExecutionContext.class.isAssignableFrom(p.getType())) {
                args[i] = context;
            } else {
                throw new IllegalStateException(functionName + ": cannot bind parameter " + p.getName());
            }
        }
        Object target = constructor.newInstance();
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static Object convert(String value, Class<?> type) {
        if (type == String.class) {
            return value;
        }
        if (type == long.class || type == Long.class) {
            return Long.parseLong(value);
        }
        if (type == int.class || type == Integer.class) {
            return Integer.parseInt(value);
        }
        throw new IllegalStateException("binding to " + type + " is not supported by the local host");
    }
}
