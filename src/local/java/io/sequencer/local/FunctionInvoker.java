package io.sequencer.local;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.Map;

/**
 * Calls a function's entry point as the Java worker does: finds {@code Class.method} by name, then binds
 * each parameter by its annotation: the trigger payload, {@code @BindingName} values (route parameters or
 * trigger metadata such as {@code DequeueCount}) converted to the parameter's type, and the context.
 */
final class FunctionInvoker {
    private final String functionName;
    private final Object target;
    private final Method method;

    FunctionInvoker(StagedApp.FunctionDefinition definition, ClassLoader loader) {
        this.functionName = definition.name();
        try {
            Class<?> type = Class.forName(definition.className(), true, loader);
            this.method = Arrays.stream(type.getMethods())
                    .filter(m -> m.getName().equals(definition.methodName()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no public method " + definition.methodName()
                            + " on " + definition.className()));
            this.target = type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load function " + definition.name(), e);
        }
    }

    /** Invokes the function; the function's own exception is rethrown as-is (unwrapped). */
    Object invoke(Object triggerValue, Map<String, String> bindingData) throws Exception {
        ExecutionContext context = LocalExecutionContext.forInvocation(functionName);
        Parameter[] parameters = method.getParameters();
        Object[] args = new Object[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            Parameter p = parameters[i];
            if (p.isAnnotationPresent(HttpTrigger.class) || p.isAnnotationPresent(QueueTrigger.class)
                    || p.isAnnotationPresent(TimerTrigger.class)) {
                args[i] = triggerValue;
            } else if (p.isAnnotationPresent(BindingName.class)) {
                args[i] = convert(bindingData.get(p.getAnnotation(BindingName.class).value()), p.getType());
            } else if (ExecutionContext.class.isAssignableFrom(p.getType())) {
                args[i] = context;
            } else {
                throw new IllegalStateException(functionName + ": cannot bind parameter " + p.getName());
            }
        }
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
            return value == null ? (type == long.class ? 0L : null) : Long.parseLong(value);
        }
        if (type == int.class || type == Integer.class) {
            return value == null ? (type == int.class ? 0 : null) : Integer.parseInt(value);
        }
        throw new IllegalStateException("binding to " + type + " is not supported by the local host");
    }
}
