package io.sequencer.functions;

import java.util.Map;
import java.util.function.Function;

/**
 * App settings as the Functions host provides them: process environment variables. A local host running the
 * app in its own process may lay its settings (from local.settings.json) over the environment.
 */
public final class AppSettings {
    private static volatile Map<String, String> overlay = Map.of();

    private AppSettings() {}

    public static Function<String, String> current() {
        Map<String, String> laid = overlay;
        return name -> laid.containsKey(name) ? laid.get(name) : System.getenv(name);
    }

    /** For a local host only: settings that take precedence over the environment from now on. */
    public static void overlay(Map<String, String> settings) {
        overlay = Map.copyOf(settings);
    }
}
