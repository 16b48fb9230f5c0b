package io.sequencer.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/CONFIGURATION.md describes exactly the settings the app reads: none missing, none that no longer exist. */
class ConfigurationDocTest {
    private static final Path DOC = Path.of(System.getProperty("sequencer.projectDir", "."), "docs/CONFIGURATION.md");
    /** A row of the settings table: its first cell is one setting name in backticks. */
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([A-Za-z0-9_.]+)` \\|");

    @Test
    void the_settings_table_names_exactly_the_settings_the_typed_settings_read() throws IOException {
        Set<String> documented = new LinkedHashSet<>();
        Matcher row = ROW.matcher(Files.readString(DOC));
        while (row.find()) {
            assertThat(documented.add(row.group(1))).as("documented once: " + row.group(1)).isTrue();
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(Settings.NAMES);
    }

    @Test
    void every_setting_the_settings_read_is_one_they_list() {
        // Settings.parse reads through a lookup that refuses any name outside NAMES, so a new setting read without
        // being listed (and so documented) fails here, at start-up of the default settings.
        Settings.parse(name -> name.equals("AzureWebJobsStorage") ? "UseDevelopmentStorage=true" : null);
    }
}
