package io.sequencer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The figures the reliability tests produce (fault points exercised, races run, fuzz cases tried, messages lost,
 * doubled delivery ids), printed and appended to {@code target/reliability-figures.txt} as {@code name value}
 * lines, so docs/RELIABILITY.md can quote a run.
 */
public final class ReliabilityFigures {
    private ReliabilityFigures() {}

    public static synchronized void record(String name, long value) {
        String line = name + " " + value;
        System.out.println("reliability figure: " + line);
        Path project = Path.of(System.getProperty("sequencer.projectDir", "."));
        Path file = project.resolve("target").resolve("reliability-figures.txt");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
