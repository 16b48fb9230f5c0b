package io.sequencer.testing;

import io.sequencer.local.LocalHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The staged app on the local host in a process of its own, started as {@code ./run} starts it (the staged jar,
 * its lib folder and the local host's classes), with exactly the environment given and an empty project folder:
 * for settings that only an environment variable can carry (azure-identity finds the managed-identity endpoint
 * through {@code IDENTITY_ENDPOINT} alone), and so that the test knows every setting the host could read.
 */
public final class LocalHostProcess implements AutoCloseable {
    /** A limit, not a wait: a start takes about 10 s on two cores shared with parallel builds. */
    private static final Duration START_LIMIT = Duration.ofSeconds(120);
    private static final String READY = "Sequencer local host ready on ";

    private final Process process;
    private final Path log;
    private final int port;
    private final Map<String, String> environment;
    private final HttpClient http = HttpClient.newHttpClient();

    /** The host's empty project folder: gone once it has stopped. */
    private final Path project;

    private LocalHostProcess(Process process, Path log, int port, Map<String, String> environment, Path project) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.environment = environment;
        this.project = project;
    }

    /** Starts the host on a free port of 127.0.0.1 with {@code environment} as its whole environment. */
    public static LocalHostProcess launch(Map<String, String> environment) {
        Path staged = LocalHostFixture.stagedApp().toAbsolutePath();
        Path target = Path.of(System.getProperty("sequencer.projectDir", ".")).toAbsolutePath().resolve("target");
        try (var files = Files.list(staged)) {
            Path jar = files.filter(f -> f.getFileName().toString().matches("sequencer-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException(staged + " has no staged jar: run mvn package"));
            String classPath = String.join(java.io.File.pathSeparator, jar.toString(), staged.resolve("lib") + "/*",
                    target.resolve("local-host-lib") + "/*", target.resolve("local-classes").toString());
            Path project = Files.createTempDirectory("local-host-project");
            Path log = Files.createTempFile("local-host", ".log");
            log.toFile().deleteOnExit();
            int port = Azurite.freePort();
            ProcessBuilder builder = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
                    LocalHost.class.getName(), "--project", project.toString(), "--app", staged.toString(),
                    "--port", Integer.toString(port)))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().clear();
            builder.environment().putAll(environment);
            return new LocalHostProcess(builder.start(), log, port, Map.copyOf(environment), project);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local host", e);
        }
    }

    /**
     * Waits until the host says it is ready; stops it when it is not (a caller's try-with-resources never got it).
     * @throws IllegalStateException with its output when it exits first or is not ready in time
     */
    public LocalHostProcess awaitReady() {
        Instant deadline = Instant.now().plus(START_LIMIT);
        while (!output().contains(READY)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the local host exited with " + process.exitValue() + ": " + output());
            }
            if (Instant.now().isAfter(deadline)) {
                close();
                throw new IllegalStateException("the local host was not ready within " + START_LIMIT.toSeconds()
                        + " s: " + output());
            }
            pause();
        }
        return this;
    }

    /** Waits for the process to end by itself; its exit code. @throws AssertionError when it is still running */
    public int awaitExit() {
        try {
            if (!process.waitFor(START_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("the local host still runs after " + START_LIMIT.toSeconds() + " s: " + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Everything the host printed so far (its log records and the SDK's). */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole environment the host was started with. */
    public Map<String, String> environment() {
        return environment;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public HttpResponse<String> call(String method, String path, String body) {
        return LocalHostFixture.send(http, method, baseUrl() + path, body,
                Map.of("x-functions-key", LocalHostFixture.FUNCTION_KEY));
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops it as Ctrl+C does (its shutdown hook stops the host), forcibly if it takes longer than 20 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            TempFiles.delete(project);
        }
    }
}
