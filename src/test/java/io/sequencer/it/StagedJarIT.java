package io.sequencer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.testing.LocalHostFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The deployed app is the app alone: the development host is built beside it (src/local), never into it. */
class StagedJarIT {

    @Test
    void the_staged_app_holds_no_class_of_the_development_host() throws IOException {
        Path staged = LocalHostFixture.stagedApp();
        Path jar;
        try (Stream<Path> files = Files.list(staged)) {
            jar = files.filter(f -> f.getFileName().toString().matches("sequencer-.*\\.jar")).findFirst().orElseThrow();
        }
        List<String> entries;
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = Collections.list(file.entries()).stream().map(ZipEntry::getName).toList();
        }
        assertThat(entries).as("the app itself is in the jar").contains("io/sequencer/functions/FunctionApp.class");
        assertThat(entries).filteredOn(name -> name.startsWith("io/sequencer/local/")).isEmpty();
        try (Stream<Path> libs = Files.list(staged.resolve("lib"))) {
            assertThat(libs.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("sequencer"));
        }
    }
}
