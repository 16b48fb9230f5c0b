package io.sequencer.bench;

import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.testing.Azurite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's own Azurite, as the tests start theirs (the npm package, in memory, free ports on 127.0.0.1),
 * with one difference: idle keep-alive connections are kept for 30 seconds instead of 5. With 5 s
 * the emulator closes a pooled connection just as the SDK reuses it, the request fails with "connection reset"
 * (not retried: the body was sent), the tick fails and waits out the trigger's visibilityTimeout, which measures
 * that race rather than the app. Not much longer: a run with 600 s saw requests hang until the SDK's 60 s response
 * timeout (cause not established; Node's 60 s headersTimeout is the suspect).
 */
final class BenchAzurite implements AutoCloseable {
    private static final String KEEP_ALIVE_SECONDS = "30";

    private final Process process;
    private final int queuePort;
    private final int tablePort;
    private final int blobPort;

    BenchAzurite(Path project) throws IOException, InterruptedException {
        Path binary = project.resolve("node_modules/.bin/azurite");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: mvn -Pbench runs npm ci when it is");
        }
        blobPort = Azurite.freePort();
        queuePort = Azurite.freePort();
        tablePort = Azurite.freePort();
        Path log = Files.createTempFile("bench-azurite", ".log");
        process = new ProcessBuilder(List.of(binary.toString(), "--inMemoryPersistence", "--silent",
                "--skipApiVersionCheck", "--disableProductStyleUrl",
                "--queueKeepAliveTimeout", KEEP_ALIVE_SECONDS, "--tableKeepAliveTimeout", KEEP_ALIVE_SECONDS,
                "--blobKeepAliveTimeout", KEEP_ALIVE_SECONDS,
                "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(blobPort),
                "--queueHost", "127.0.0.1", "--queuePort", Integer.toString(queuePort),
                "--tableHost", "127.0.0.1", "--tablePort", Integer.toString(tablePort)))
                .directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // Also when the harness is interrupted (Ctrl+C), not only when it finishes.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "bench-azurite-stop"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Azurite.listening(queuePort) && Azurite.listening(tablePort) && Azurite.listening(blobPort))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("Azurite did not start: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
    }

    String connectionString() {
        return StorageClients.azuriteConnectionString("127.0.0.1", blobPort, queuePort, tablePort);
    }

    StorageClients clients() {
        String connection = connectionString();
        return StorageClients.fromSettings(name -> name.equals(StorageClients.CONNECTION) ? connection : null);
    }

    /** The emulator's process, to read its memory. */
    ProcessHandle process() {
        return process.toHandle();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
