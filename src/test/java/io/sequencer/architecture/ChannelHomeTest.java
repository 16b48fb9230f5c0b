package io.sequencer.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A channel's rules live in its own package under {@code engine/channel} and are registered in
 * {@code engine/channel/Channels.java}; the rest of the engine asks that registry and does not branch on the kind of
 * a channel's configuration. The channel packages keep the layers: they sit in the engine, so they import the domain
 * and the engine only (never an adapter, the functions or the local host), and nothing below the engine imports
 * them.
 */
class ChannelHomeTest {
    private static final Path ROOT = Path.of(System.getProperty("sequencer.projectDir", "."));
    private static final Path MAIN = ROOT.resolve("src/main/java/io/sequencer");
    private static final Pattern KIND = Pattern.compile("ChannelConfig\\.(Webhook|Messenger|SendGrid)\\b");
    /**
     * Engine classes that still name a kind, each for a reason of its own: the send budget's rates are settings per
     * platform (a webhook has none), and only a webhook's URL is a tenant's address to guard.
     */
    private static final Set<String> NOT_RULES = Set.of("send/SendBudget.java", "send/AddressGuard.java");

    @Test
    void the_engine_outside_the_channel_packages_does_not_branch_on_a_channels_kind() throws IOException {
        List<String> branching = new ArrayList<>();
        for (Path file : javaFiles(MAIN.resolve("engine"))) {
            String relative = MAIN.resolve("engine").relativize(file).toString().replace('\\', '/');
            if (relative.startsWith("channel/") || NOT_RULES.contains(relative)) {
                continue;
            }
            Matcher kind = KIND.matcher(Files.readString(file));
            if (kind.find()) {
                branching.add(relative + ": " + kind.group());
            }
        }
        assertThat(branching).as("engine classes naming a channel's kind instead of asking Channels").isEmpty();
    }

    @Test
    void the_channel_packages_import_only_the_domain_the_engine_and_the_jdk() throws IOException {
        List<String> wrong = new ArrayList<>();
        Pattern imports = Pattern.compile("(?m)^import\\s+(?:static\\s+)?([\\w.]+)");
        List<Path> files = javaFiles(MAIN.resolve("engine/channel"));
        for (Path file : files) {
            Matcher found = imports.matcher(Files.readString(file));
            while (found.find()) {
                String imported = found.group(1);
                if (!imported.startsWith("java.") && !imported.startsWith("io.sequencer.domain.")
                        && !imported.startsWith("io.sequencer.engine.")) {
                    wrong.add(MAIN.relativize(file) + ": " + imported);
                }
            }
        }
        assertThat(files).as("channel rules found (the scan reads the sources)").hasSizeGreaterThan(3);
        assertThat(wrong).isEmpty();
    }

    @Test
    void the_domain_imports_no_channel_package() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Path file : javaFiles(MAIN.resolve("domain"))) {
            if (Files.readString(file).contains("io.sequencer.engine")) {
                wrong.add(MAIN.relativize(file).toString());
            }
        }
        assertThat(wrong).isEmpty();
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }
}
