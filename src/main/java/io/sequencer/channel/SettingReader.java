package io.sequencer.channel;

import java.util.function.Function;

/**
 * Reads app settings once, at start-up: a setting that is unusable stops start-up with a message naming it, a
 * missing one means its default. The app's own settings and the channel types' settings are read alike.
 */
public final class SettingReader {
    private final Function<String, String> settings;

    /** @param settings the app settings by name, null when one is not set */
    public SettingReader(Function<String, String> settings) {
        this.settings = settings;
    }

    /** A whole-number setting within bounds; missing means {@code fallback}. */
    public long number(String name, long fallback, long min, long max) {
        String value = settings.apply(name);
        if (blank(value)) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed < min || parsed > max) {
                throw new IllegalStateException(name + " must be " + min + " to " + max + ", was " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be a whole number, was " + value);
        }
    }

    /** A text setting, trimmed; missing or blank means {@code fallback}. */
    public String text(String name, String fallback) {
        String value = settings.apply(name);
        return blank(value) ? fallback : value.trim();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
