package io.sequencer.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each channel type lives in its own package under {@code io.sequencer.channel} and is registered in
 * {@code channel/ChannelTypes.java}; the rest of the app reaches a channel only through {@code ChannelConfig}, the
 * channel type's interfaces and that registry, and names no channel's kind. The channel packages sit at the edge:
 * they may import the domain, the engine and the adapters, never the functions or the local host, and neither the
 * domain nor the engine imports them.
 */
class ChannelHomeTest {
    private static final Path ROOT = Path.of(System.getProperty("sequencer.projectDir", "."));
    private static final Path MAIN = ROOT.resolve("src/main/java/io/sequencer");
    /** A channel type's record, rules, type or sender, or an import of a channel type's package. */
    private static final Pattern KIND = Pattern.compile("\\b(Webhook|Messenger|SendGrid)(Config|Rules|Type|Channel)\\b"
            + "|io\\.sequencer\\.channel\\.(webhook|messenger|sendgrid)\\b");
    /** The one registration of channel types. */
    private static final String REGISTRATION = "channel/ChannelTypes.java";

    @Test
    void outside_the_channel_packages_no_class_names_a_channels_kind() throws IOException {
        List<String> naming = new ArrayList<>();
        for (Path file : javaFiles(MAIN)) {
            String relative = MAIN.relativize(file).toString().replace('\\', '/');
            boolean inAChannelsPackage = relative.matches("channel/[a-z]+/.*");
            if (inAChannelsPackage || relative.equals(REGISTRATION)) {
                continue;
            }
            Matcher kind = KIND.matcher(Files.readString(file));
            if (kind.find()) {
                naming.add(relative + ": " + kind.group());
            }
        }
        assertThat(naming).as("classes naming a channel's kind instead of asking the registry of channel types")
                .isEmpty();
    }

    @Test
    void the_channel_packages_do_not_import_the_functions_or_the_local_host() throws IOException {
        List<String> wrong = new ArrayList<>();
        Pattern imports = Pattern.compile("(?m)^import\\s+(?:static\\s+)?([\\w.]+)");
        List<Path> files = javaFiles(MAIN.resolve("channel"));
        for (Path file : files) {
            Matcher found = imports.matcher(Files.readString(file));
            while (found.find()) {
                String imported = found.group(1);
                if (imported.startsWith("io.sequencer.functions.") || imported.startsWith("io.sequencer.local.")) {
                    wrong.add(MAIN.relativize(file) + ": " + imported);
                }
            }
        }
        assertThat(files).as("channel types found (the scan reads the sources)").hasSizeGreaterThan(6);
        assertThat(wrong).isEmpty();
    }

    @Test
    void the_domain_and_the_engine_import_no_channel_package() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (String layer : List.of("domain", "engine")) {
            for (Path file : javaFiles(MAIN.resolve(layer))) {
                if (Files.readString(file).contains("import io.sequencer.channel")) {
                    wrong.add(MAIN.relativize(file).toString());
                }
            }
        }
        for (Path file : javaFiles(MAIN.resolve("domain"))) {
            if (Files.readString(file).contains("io.sequencer.engine")) {
                wrong.add(MAIN.relativize(file) + ": imports the engine");
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
