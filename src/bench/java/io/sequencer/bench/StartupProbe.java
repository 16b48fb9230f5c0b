package io.sequencer.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Local host start-up as a user sees it: a fresh JVM running {@code io.sequencer.local.LocalHost} from the staged
 * app the way {@code ./run} does (its class path and its default JVM options, read from the script), timed from
 * process start to the first HTTP 200 on {@code /api/health}.
 */
final class StartupProbe {
    private final Path project;
    private final Path stagedApp;
    private final String connectionString;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();

    StartupProbe(Path project, Path stagedApp, String connectionString) {
        this.project = project;
        this.stagedApp = stagedApp;
        this.connectionString = connectionString;
    }

    /** Milliseconds from starting the child JVM to its first 200 on /api/health. */
    long measure() throws IOException, InterruptedException {
        int port = freePort();
        Path log = Files.createTempFile("bench-startup", ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(runJavaOptions());
        command.addAll(List.of("-cp", classPath(), "io.sequencer.local.LocalHost",
                "--project", project.toString(), "--app", stagedApp.toString(), "--port", Integer.toString(port)));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("AzureWebJobsStorage", connectionString);
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long start = System.nanoTime();
        Process child = builder.start();
        try {
            long deadline = start + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                if (!child.isAlive()) {
                    throw new IllegalStateException("local host exited: " + Files.readString(log));
                }
                try {
                    if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return (System.nanoTime() - start) / 1_000_000;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(5);
            }
            throw new IllegalStateException("no 200 from /api/health within 60 s: " + Files.readString(log));
        } finally {
            child.destroy();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
            Files.deleteIfExists(log);
        }
    }

    /**
     * The JVM options ./run gives the local host when {@code SEQUENCER_JAVA_OPTS} is not set (the default in its
     * {@code ${SEQUENCER_JAVA_OPTS-...}}), so that the figure is the start a user gets.
     */
    private List<String> runJavaOptions() throws IOException {
        String script = Files.readString(project.resolve("run"));
        Matcher defaults = Pattern.compile("\\$\\{SEQUENCER_JAVA_OPTS-([^}]*)}").matcher(script);
        if (!defaults.find()) {
            throw new IllegalStateException("./run gives SEQUENCER_JAVA_OPTS no default that this probe can read");
        }
        String options = defaults.group(1).trim();
        return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
    }

    /** What ./run puts on the class path: the staged jar and its libraries, the worker-provided ones and the host. */
    private String classPath() throws IOException {
        Path jar;
        try (var files = Files.list(stagedApp)) {
            jar = files.filter(f -> f.getFileName().toString().matches("sequencer-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no jar in " + stagedApp));
        }
        return String.join(File.pathSeparator, jar.toString(), stagedApp.resolve("lib") + File.separator + "*",
                project.resolve("target/local-host-lib") + File.separator + "*",
                project.resolve("target/local-classes").toString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
