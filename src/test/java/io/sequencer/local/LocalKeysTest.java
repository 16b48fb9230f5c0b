package io.sequencer.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKeysTest {
    @TempDir
    Path project;

    @Test
    void a_missing_report_link_key_is_created_once_and_reused_after_a_restart() throws IOException {
        String first = LocalKeys.withKeys(project, Map.of()).get(LocalKeys.REPORT_LINK_KEY_SETTING);
        String second = LocalKeys.withKeys(project, Map.of("OTHER", "x")).get(LocalKeys.REPORT_LINK_KEY_SETTING);

        assertThat(first).hasSizeGreaterThanOrEqualTo(64).matches("[A-Za-z0-9_-]+").isEqualTo(second);
        String admin = LocalKeys.withKeys(project, Map.of()).get(LocalKeys.ADMIN_KEY_SETTING);
        assertThat(admin).as("the admin key: its own, kept too").hasSizeGreaterThanOrEqualTo(64).isNotEqualTo(first)
                .isEqualTo(LocalKeys.withKeys(project, Map.of()).get(LocalKeys.ADMIN_KEY_SETTING));
        Path file = project.resolve(".sequencer").resolve(LocalKeys.REPORT_LINK_KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(LocalKeys.withKeys(Files.createTempDirectory(project, "other"), Map.of())
                .get(LocalKeys.REPORT_LINK_KEY_SETTING)).as("another project gets its own key").isNotEqualTo(first);
    }

    @Test
    void a_key_given_as_a_setting_wins_and_nothing_is_written() {
        Map<String, String> settings = LocalKeys.withKeys(project, Map.of(LocalKeys.REPORT_LINK_KEY_SETTING, "given",
                LocalKeys.ADMIN_KEY_SETTING, "given-admin"));

        assertThat(settings).containsEntry(LocalKeys.REPORT_LINK_KEY_SETTING, "given")
                .containsEntry(LocalKeys.ADMIN_KEY_SETTING, "given-admin");
        assertThat(project.resolve(".sequencer")).doesNotExist();
    }
}
