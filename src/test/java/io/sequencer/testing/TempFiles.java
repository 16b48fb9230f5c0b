package io.sequencer.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The files and folders a test fixture makes under the system's temporary folder, removed when the fixture closes. */
public final class TempFiles {
    private TempFiles() {}

    /**
     * Deletes {@code path}, a file or a folder with everything under it, as far as it can: a fixture's close never
     * fails on it.
     */
    public static void delete(Path path) {
        if (path == null || !Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // Best effort: what is left is under the temporary folder, never in the working tree.
        }
    }
}
