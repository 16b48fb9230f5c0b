package io.sequencer.testing;

import io.sequencer.domain.account.AppSettingPolicy;
import java.util.HashMap;
import java.util.Map;

/**
 * App settings for channel tests: the template {@value #TEMPLATE}, under which account {@code acme} names its
 * settings {@code SEQ_ACME__<NAME>}, plus the given names and values.
 */
public final class TestAppSettings {
    public static final String TEMPLATE = "SEQ_{ACCOUNT}__";

    private TestAppSettings() {}

    /** The template and {@code namesAndValues} (name, value, name, value, ...). */
    public static Map<String, String> of(String... namesAndValues) {
        Map<String, String> settings = new HashMap<>();
        settings.put(AppSettingPolicy.TEMPLATE_SETTING, TEMPLATE);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            settings.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return Map.copyOf(settings);
    }
}
