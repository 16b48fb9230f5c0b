package io.sequencer.bench;

import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.testing.Azurite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The benchmark's own Azurite (the npm package, free ports on 127.0.0.1), as two processes: tables (and blobs) in
 * memory, queues in a temporary folder on disk.
 *
 * <p>Queues are not kept in memory because of the emulator's extent garbage collector: in memory, every queue
 * message body is an extent of its own, and every 60 s the collector deletes the extents of all messages deleted
 * since its last pass, one Loki {@code findAndRemove} each on an indexed collection (each removal costs time in
 * proportion to the whole collection), all in one turn of Node's event loop. The emulator, one process for all
 * services, then answers nothing at all, for a time that grows with the square of the messages cycled in the
 * minute: 0.7 s after 1,000, 3.7 s after 2,000, 17 s after 4,000, 48 s after 6,000 (docs/BENCHMARKS.md, "Emulator
 * stalls"). The harness cycles that many in seconds. On disk the extents are shared files of up to 64 MB, so a pass
 * has next to nothing to delete. Tables stay in memory: on disk, Azurite saves a table's whole Loki database every
 * 5 s, and the population phase stores hundreds of thousands of rows.
 *
 * <p>Idle keep-alive connections are kept for 30 seconds instead of 5, so the emulator does not close a pooled
 * connection just as the SDK reuses it (a "connection reset", not retried once the request was sent).
 */
final class BenchAzurite implements AutoCloseable {
    private static final String KEEP_ALIVE_SECONDS = "30";

    private final Path queueData;
    private final Process tables;
    private final Process queues;
    private final int blobPort;
    private final int queuePort;
    private final int tablePort;

    BenchAzurite(Path project) throws IOException, InterruptedException {
        Path binary = project.resolve("node_modules/.bin/azurite");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: mvn -Pbench runs npm ci when it is");
        }
        queueData = Files.createTempDirectory("bench-azurite-queues");
        int[] tablePorts = {Azurite.freePort(), Azurite.freePort(), Azurite.freePort()};
        int[] queuePorts = {Azurite.freePort(), Azurite.freePort(), Azurite.freePort()};
        blobPort = tablePorts[0];
        tablePort = tablePorts[2];
        queuePort = queuePorts[1];
        tables = start(project, binary, List.of("--inMemoryPersistence"), tablePorts, "tables");
        try {
            queues = start(project, binary, List.of("--location", queueData.toString()), queuePorts, "queues");
        } catch (IOException | RuntimeException | InterruptedException e) {
            tables.destroyForcibly(); // no orphan emulator when the second one cannot start (a port taken meanwhile)
            throw e;
        }
        // Also when the harness is interrupted (Ctrl+C), not only when it finishes.
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopQuietly, "bench-azurite-stop"));
    }

    /** One emulator process on the given blob, queue and table ports; waits until all three listen. */
    static Process start(Path project, Path binary, List<String> persistence, int[] ports, String name)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(persistence);
        command.addAll(List.of("--silent", "--disableTelemetry", "--skipApiVersionCheck", "--disableProductStyleUrl",
                "--queueKeepAliveTimeout", KEEP_ALIVE_SECONDS, "--tableKeepAliveTimeout", KEEP_ALIVE_SECONDS,
                "--blobKeepAliveTimeout", KEEP_ALIVE_SECONDS,
                "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(ports[0]),
                "--queueHost", "127.0.0.1", "--queuePort", Integer.toString(ports[1]),
                "--tableHost", "127.0.0.1", "--tablePort", Integer.toString(ports[2])));
        Path log = Files.createTempFile("bench-azurite-" + name, ".log");
        Process process = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Azurite.listening(ports[0]) && Azurite.listening(ports[1]) && Azurite.listening(ports[2]))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("Azurite (" + name + ") did not start: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        return process;
    }

    String connectionString() {
        return connectionString(queuePort);
    }

    /** The same, with the queue endpoint on {@code queuePort} instead (a proxy in front of this emulator's). */
    String connectionString(int queuePort) {
        return StorageClients.azuriteConnectionString("127.0.0.1", blobPort, queuePort, tablePort);
    }

    int queuePort() {
        return queuePort;
    }

    ProcessHandle queueProcess() {
        return queues.toHandle();
    }

    ProcessHandle tableProcess() {
        return tables.toHandle();
    }

    StorageClients clients() {
        String connection = connectionString();
        return StorageClients.fromSettings(name -> name.equals(StorageClients.CONNECTION) ? connection : null);
    }

    @Override
    public void close() throws InterruptedException {
        stop(queues);
        stop(tables);
        deleteQueueData();
    }

    private void stopQuietly() {
        try {
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private void deleteQueueData() {
        if (!Files.exists(queueData)) {
            return;
        }
        try (Stream<Path> files = Files.walk(queueData)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + queueData, e);
        }
    }
}
