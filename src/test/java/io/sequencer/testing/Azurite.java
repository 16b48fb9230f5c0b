package io.sequencer.testing;

import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.local.EmulatorCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Azurite (the npm package the build installs) started on free ports for this test JVM, in memory,
 * and stopped when the JVM exits. Tests share it and keep apart by using their own queue and table names.
 */
public final class Azurite implements AutoCloseable {
    private static Azurite shared;

    /** What Azurite prints once a service listens, with the port it listens on. */
    private static final Pattern LISTENING =
            Pattern.compile("Azurite (Blob|Queue|Table) service is successfully listening at https?://127\\.0\\.0\\.1:(\\d+)");
    /** A limit, not a wait: on a quiet machine it listens within 2 s, on one loaded by parallel builds within 25. */
    private static final Duration START_LIMIT = Duration.ofSeconds(90);

    private volatile Process process;
    /** 0 until the first start: Azurite then picks free ports itself and says which. */
    private int blobPort;
    private int queuePort;
    private int tablePort;
    /** Where it keeps its data, or null when in memory. */
    private final Path location;
    /** Bearer tokens over HTTPS for an account of its own, or null for the well-known account over HTTP. */
    private final OAuth oauth;

    /**
     * Azurite's {@code --oauth basic} over HTTPS with {@code certificate}, serving {@code account} (besides the
     * well-known one) under {@code key}: a key that only Azurite and the test know, so the app can reach that
     * account with bearer tokens alone.
     */
    public record OAuth(EmulatorCertificate certificate, String account, String key) {}

    private Azurite(Path location) {
        this(location, null);
    }

    private Azurite(Path location, OAuth oauth) {
        this.location = location;
        this.oauth = oauth;
        launch();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "azurite-stop"));
    }

    /**
     * Starts the process and waits until it says that all three services listen. The first start asks for port 0:
     * ports picked here and handed over would race with the other test JVMs of a parallel build (and with other
     * builds), which pick ports the same way; Azurite binding port 0 cannot collide. A restart keeps the ports.
     */
    private void launch() {
        Path project = Path.of(System.getProperty("sequencer.projectDir", ".")).toAbsolutePath();
        Path binary = project.resolve("node_modules/.bin/azurite");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: the build installs it with npm ci (run mvn verify)");
        }
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        if (location == null) {
            command.add("--inMemoryPersistence");
        } else {
            command.addAll(List.of("--location", location.toString()));
        }
        // Telemetry off: no test sends a packet beyond this machine.
        command.addAll(List.of("--silent", "--disableTelemetry", "--skipApiVersionCheck", "--disableProductStyleUrl",
                "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(blobPort),
                "--queueHost", "127.0.0.1", "--queuePort", Integer.toString(queuePort),
                "--tableHost", "127.0.0.1", "--tablePort", Integer.toString(tablePort)));
        if (oauth != null) {
            command.addAll(List.of("--oauth", "basic", "--cert", oauth.certificate().pfx().toString(),
                    "--pwd", oauth.certificate().password()));
        }
        try {
            Path log = Files.createTempFile("azurite", ".log");
            log.toFile().deleteOnExit();
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(project.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            if (oauth != null) {
                // Azurite's way to add an account: name:key pairs.
                builder.environment().put("AZURITE_ACCOUNTS", oauth.account() + ":" + oauth.key());
            }
            process = builder.start();
            awaitListening(log);
        } catch (IOException e) {
            stopStarted();
            throw new UncheckedIOException("cannot start Azurite", e);
        } catch (RuntimeException e) {
            stopStarted(); // no shutdown hook holds it yet: it would outlive the test JVM
            throw e;
        }
    }

    private void stopStarted() {
        if (process != null) {
            stop();
        }
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * An Azurite of its own, for a test that loads it heavily: Azurite serves every queue from one process, so a
     * very deep queue would slow the tests that share it. Close it when done.
     */
    public static Azurite startPrivate() {
        return new Azurite(null);
    }

    /**
     * An Azurite of its own that keeps its data in {@code location}, so it can be stopped and started again
     * (see {@link #restart}) with its data. Close it when done.
     */
    public static Azurite startOnDisk(Path location) {
        return new Azurite(location);
    }

    /** An in-memory Azurite of its own with bearer-token authentication over HTTPS (see {@link OAuth}). Close it when done. */
    public static Azurite startWithOAuth(OAuth oauth) {
        return new Azurite(null, oauth);
    }

    /** The queue endpoint of the OAuth account, path-style as Azurite serves it. */
    public String queueServiceUri() {
        return "https://127.0.0.1:" + queuePort + "/" + oauth.account();
    }

    /** The table endpoint of the OAuth account. */
    public String tableServiceUri() {
        return "https://127.0.0.1:" + tablePort + "/" + oauth.account();
    }

    /** The blob endpoint of the OAuth account (the Functions host's own connection names it; the app uses none). */
    public String blobServiceUri() {
        return "https://127.0.0.1:" + blobPort + "/" + oauth.account();
    }

    /** Stops the process (as an operator would: it saves its data and exits). */
    public void stopNow() {
        stop();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while ((listening(queuePort) || listening(tablePort)) && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Starts it again on the same ports and, when on disk, the same data. */
    public void startAgain() {
        launch();
    }

    @Override
    public void close() {
        stop();
    }

    /** The Azurite of this test JVM, started on first use. */
    public static synchronized Azurite shared() {
        if (shared == null) {
            shared = new Azurite(null);
        }
        return shared;
    }

    public String connectionString() {
        return StorageClients.azuriteConnectionString("127.0.0.1", blobPort, queuePort, tablePort);
    }

    public StorageClients clients() {
        String connection = connectionString();
        return StorageClients.fromSettings(name -> name.equals(StorageClients.CONNECTION) ? connection : null);
    }

    /** Reads the ports from Azurite's own "successfully listening" lines, so no other process can be mistaken for it. */
    private void awaitListening(Path log) throws IOException {
        Instant deadline = Instant.now().plus(START_LIMIT);
        while (Instant.now().isBefore(deadline)) {
            Map<String, Integer> ports = new HashMap<>();
            Matcher line = LISTENING.matcher(Files.readString(log));
            while (line.find()) {
                ports.put(line.group(1), Integer.parseInt(line.group(2)));
            }
            if (ports.size() == 3) {
                blobPort = ports.get("Blob");
                queuePort = ports.get("Queue");
                tablePort = ports.get("Table");
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("Azurite exited: " + Files.readString(log));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("Azurite did not listen within " + START_LIMIT.toSeconds() + " s: "
                + Files.readString(log));
    }

    /** True when something accepts connections on 127.0.0.1:{@code port}. */
    public static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port free on the loopback interface right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
