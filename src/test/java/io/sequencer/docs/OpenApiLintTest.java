package io.sequencer.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code openapi.yaml} passes a stock linter, Redocly CLI (installed by npm from package.json, as Azurite is) with
 * its recommended rules: no errors, so generators and validators that nobody here wrote read it as meant.
 * Redocly's telemetry and update check are off: the test talks to nothing beyond this machine.
 */
class OpenApiLintTest {
    private static final Path ROOT = Path.of(System.getProperty("sequencer.projectDir", "."));

    @Test
    void redocly_lint_finds_no_error_in_the_api_description() throws Exception {
        Path redocly = ROOT.resolve("node_modules/.bin/redocly");
        assertThat(redocly).as("installed by the build (npm ci)").exists();
        Path output = Files.createTempFile("redocly-lint", ".txt");
        ProcessBuilder lint = new ProcessBuilder(redocly.toString(), "lint", "--format=stylish", "openapi.yaml")
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        lint.environment().put("REDOCLY_TELEMETRY", "off");
        lint.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        Process process = lint.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("redocly lint finished").isTrue();
        String report = Files.readString(output, StandardCharsets.UTF_8);
        Files.deleteIfExists(output);

        assertThat(process.exitValue()).as(report).isZero();
        assertThat(report).as("it read the file").contains("openapi.yaml");
    }
}
