package io.sequencer.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * A port over a real implementation with a test's hand on every call: count it, fail it as a lost race would, or
 * let it through. Only the tests' fault injection uses it; the ports' behaviour stays the real one's.
 */
public final class PortInterceptor {
    private PortInterceptor() {}

    /** Decides one call: throw to fail it, or return {@code proceed.call()} (or another answer) to complete it. */
    @FunctionalInterface
    public interface Around {
        Object call(Method method, Object[] args, Proceed proceed) throws Throwable;
    }

    /** The real implementation's answer to the call. */
    @FunctionalInterface
    public interface Proceed {
        Object call() throws Throwable;
    }

    /** {@code port} over {@code real}, every call passing through {@code around}. */
    public static <T> T around(Class<T> port, T real, Around around) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port},
                (proxy, method, args) -> around.call(method, args, () -> {
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                })));
    }
}
