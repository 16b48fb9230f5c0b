package io.sequencer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's {@code ./run} script started as a newcomer starts it, in a process of its own, on ports nobody
 * else uses: the app on a free port, its own Azurite on free ports with its data in {@code azuriteDir}, and its
 * own keys, so it neither collides with other tests nor touches the working tree's {@code .azurite/} or
 * {@code .sequencer/}.
 */
public final class RunScript implements AutoCloseable {
    public static final String ADMIN_KEY = "run-script-admin-key-0123456789abcdef";
    private static final Pattern READY = Pattern.compile("ready on (http://127\\.0\\.0\\.1:\\d+)");
    /** A limit, not a wait: the host is ready within ~10 s, longer on a machine loaded by parallel builds. */
    private static final Duration READY_LIMIT = Duration.ofSeconds(120);

    private final Process process;
    private final Path output;
    /** This run's key folder: gone, with the output file, once the script has stopped. */
    private final Path keys;
    private final HttpClient http = HttpClient.newHttpClient();

    private RunScript(Process process, Path output, Path keys) {
        this.process = process;
        this.output = output;
        this.keys = keys;
    }

    /** Runs {@code ./run args...} from the project folder, keeping Azurite's data in {@code azuriteDir}. */
    public static RunScript start(Path azuriteDir, String... args) {
        Path project = Path.of(System.getProperty("sequencer.projectDir", ".")).toAbsolutePath();
        try {
            Path keys = Files.createTempDirectory("run-script-keys");
            Path output = Files.createTempFile("run-script", ".out");
            // As from a terminal, where Ctrl+C reaches ./run: a build started in the background (`mvn verify &` in
            // a script) hands its children SIGINT ignored, and a shell cannot trap a signal ignored on entry.
            List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT", project.resolve("run").toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(Map.of(
                    "SEQUENCER_PORT", "0",
                    "SEQUENCER_AZURITE_PORTS", "0,0,0",
                    "SEQUENCER_AZURITE_DIR", azuriteDir.toAbsolutePath().toString(),
                    "SEQUENCER_ADMIN_KEY", ADMIN_KEY,
                    "SEQUENCER_REPORT_LINK_KEY", "run-script-report-link-key-0123456789",
                    "SEQUENCER_LOCAL_KEY_FILE", keys.resolve("master.key").toString()));
            return new RunScript(builder.start(), output, keys);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start ./run", e);
        }
    }

    /** The app's base URL once the host says it is ready. */
    public String awaitReady() {
        Instant deadline = Instant.now().plus(READY_LIMIT);
        while (Instant.now().isBefore(deadline)) {
            Matcher ready = READY.matcher(output());
            if (ready.find()) {
                return ready.group(1);
            }
            if (!process.isAlive()) {
                throw new AssertionError("./run ended (" + process.exitValue() + ") before it was ready:\n" + output());
            }
            pause(Duration.ofMillis(100));
        }
        throw new AssertionError("./run was not ready within " + READY_LIMIT + ":\n" + output());
    }

    /** What a terminal's Ctrl+C sends. */
    public void interrupt() {
        signal("INT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** True when the script ended within {@code limit}. */
    public boolean awaitExit(Duration limit) {
        try {
            return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public int exitValue() {
        return process.exitValue();
    }

    /** Everything the script and the host printed so far. */
    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Calls the app at {@code baseUrl} with the admin key. */
    public HttpResponse<String> call(String baseUrl, String method, String path, String body) {
        return LocalHostFixture.send(http, method, baseUrl + path, body, Map.of("x-functions-key", ADMIN_KEY));
    }

    private static void pause(Duration time) {
        try {
            Thread.sleep(time.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the script as a supervisor would (SIGTERM: it stops the app, then Azurite), killing it if it hangs. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                signal("TERM");
                if (!awaitExit(Duration.ofSeconds(30))) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            }
        } finally {
            TempFiles.delete(keys);
            TempFiles.delete(output);
        }
    }
}
