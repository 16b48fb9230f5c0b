package io.sequencer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.testing.Azurite;
import io.sequencer.testing.LocalHostFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The TypeScript client (clients/typescript, generated from openapi.yaml and built by scripts/node-tools while
 * Maven compiles) passes its node tests against the local host: it defines a sequence, enrolls, receives and verifies the
 * signed webhook and notifications, reports an event and reads the report, gets a typed problem for a bad field, has
 * a keyed write replayed, and runs the Node part of docs/TOUR.md; beside them its own tests of retries, keys and
 * webhook verification. Node's output is shown when a test fails or is skipped.
 */
class TypeScriptClientIT {
    private static final Path CLIENT = Path.of(System.getProperty("sequencer.projectDir", "."), "clients", "typescript")
            .toAbsolutePath();
    private static final String ACCOUNT = "tsclient";
    private static final String SECRET_SETTING = LocalHostFixture.setting(ACCOUNT, "TS_SECRET");

    @Test
    void the_client_passes_its_node_tests_against_the_local_host() throws Exception {
        assertThat(CLIENT.resolve("dist/index.js")).as("built by scripts/node-tools (npm run build in clients/typescript)")
                .isRegularFile();
        String secret = whsec();
        try (Azurite storage = Azurite.startPrivate(); // the tour's account "acme" is the tour's own
             LocalHostFixture host = LocalHostFixture.start(Map.of("AzureWebJobsStorage", storage.connectionString(),
                     SECRET_SETTING, secret, "SEQ_ACME__HOOK_SECRET", "tour-secret-0123456789"), hostJson -> { })) {
            List<String> command = new ArrayList<>(List.of("node", "--test", "--test-reporter=tap"));
            command.addAll(testFiles());
            ProcessBuilder node = new ProcessBuilder(command).directory(CLIENT.toFile()).redirectErrorStream(true);
            node.environment().putAll(Map.of("SEQUENCER_ORIGIN", host.baseUrl(),
                    "SEQUENCER_ADMIN_KEY", LocalHostFixture.FUNCTION_KEY, "SEQUENCER_ACCOUNT", ACCOUNT,
                    "SEQUENCER_SECRET_SETTING", SECRET_SETTING, "SEQUENCER_SECRET", secret));
            Path log = Files.createTempFile("node-test", ".tap");
            Process run = node.redirectOutput(log.toFile()).start();
            boolean ended = run.waitFor(5, TimeUnit.MINUTES);
            if (!ended) {
                run.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            assertThat(ended).as("node --test ended within 5 minutes:%n%s", output).isTrue();
            assertThat(run.exitValue()).as("node --test exit status:%n%s", output).isZero();
            assertThat(output).as("every node test ran and passed:%n%s", output)
                    .contains("# fail 0").contains("# skipped 0").contains("# cancelled 0")
                    .doesNotContain("# SKIP") // node 20 counts a skipped suite in none of the totals
                    .contains("ok 1 - defines, enrolls, receives the signed webhook");
        }
    }

    private static List<String> testFiles() throws IOException {
        try (Stream<Path> files = Files.list(CLIENT.resolve("test"))) {
            List<String> tests = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".test.mjs"))
                    .sorted().map(n -> "test/" + n).toList();
            assertThat(tests).contains("test/local-host.test.mjs");
            return tests;
        }
    }

    private static String whsec() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }
}
