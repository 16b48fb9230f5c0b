package io.sequencer.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The folders a test fixture makes under the system's temporary folder, removed when the fixture closes. */
public final class TempDirs {
    private TempDirs() {}

    /** Deletes {@code root} and everything under it, as far as it can: a fixture's close never fails on it. */
    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // Best effort: what is left is under the temporary folder, never in the working tree.
        }
    }
}
