package io.sequencer.functions;

import java.util.Map;
import java.util.function.Function;

/**
 * App settings as the Functions host provides them: process environment variables. A local host running the
 * app in its own process may lay its settings (from local.settings.json) over the environment.
 */
public final class AppSettings {
    private static volatile Function<String, String> overlay = name -> null;

    private AppSettings() {}

    public static Function<String, String> current() {
        Function<String, String> laid = overlay;
        return name -> {
            String value = laid.apply(name);
            return value != null ? value : System.getenv(name);
        };
    }

    /** For a local host only: settings that take precedence over the environment from now on. */
    public static void overlay(Map<String, String> settings) {
        overlay(Map.copyOf(settings)::get);
    }

    /** For a local host only: settings (null when not set) that take precedence over the environment from now on. */
    public static void overlay(Function<String, String> settings) {
        overlay = settings;
    }
}
