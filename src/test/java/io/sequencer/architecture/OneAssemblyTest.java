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
 * The engine is assembled in one place, {@code engine/Sequencer.java}: the app, the fixtures, the tests and the
 * benchmark all ask its builder, so no two wirings of the use cases can drift apart.
 */
class OneAssemblyTest {
    private static final Path ROOT = Path.of(System.getProperty("sequencer.projectDir", "."));
    private static final Path BUILDER = Path.of("src/main/java/io/sequencer/engine/Sequencer.java");
    /** The use cases that are wired to one another (and to the same notices, timers and tokens). */
    private static final Pattern CONSTRUCTION = Pattern.compile("new\\s+(Enrollments|Subscribers|Events|TickHandler"
            + "|SequenceCatalog|Timeline|Notifications|NoticeDispatcher|LifecycleNotices|HorizonTimers|StepPreviews)\\s*\\(");

    @Test
    void only_the_builder_constructs_the_engines_use_cases() throws IOException {
        List<String> elsewhere = new ArrayList<>();
        int inBuilder = 0;
        for (String sourceSet : List.of("src/main/java", "src/test/java", "src/bench/java", "src/local/java")) {
            Path dir = ROOT.resolve(sourceSet);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Path relative = ROOT.relativize(file);
                    Matcher found = CONSTRUCTION.matcher(Files.readString(file));
                    while (found.find()) {
                        if (relative.equals(BUILDER) || isItsOwnConstant(relative, found.group(1))) {
                            inBuilder++;
                        } else {
                            elsewhere.add(relative + ": " + found.group());
                        }
                    }
                }
            }
        }
        assertThat(elsewhere).as("constructed outside Sequencer.builder()").isEmpty();
        assertThat(inBuilder).as("constructions found in the builder (the scan reads the sources)").isGreaterThan(8);
    }

    /** A class's own constants ({@code LifecycleNotices.OFF}) are not a wiring. */
    private static boolean isItsOwnConstant(Path file, String type) {
        return file.getFileName().toString().equals(type + ".java");
    }
}
