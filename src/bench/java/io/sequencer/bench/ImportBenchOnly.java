package io.sequencer.bench;

import io.sequencer.adapters.azure.StorageClients;
import java.nio.file.Path;

/**
 * The harness's import phase on its own, for a machine without XChart (which the harness's charts need and the
 * {@code bench} profile adds): compile {@code src/bench} without {@code BenchHarness} and {@code LatenessChart}
 * and run this against a staged app (docs/BENCHMARKS.md, "Import of 200,000 subscribers"). Argument: the rows.
 */
public final class ImportBenchOnly {
    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        int rows = Integer.parseInt(args[0]);
        int parallel = 16;
        System.out.println("Machine: " + Machine.current().describe() + "; load before " + Machine.loadAverage());
        Path project = Path.of(System.getProperty("sequencer.projectDir", ".")).toAbsolutePath();
        try (BenchAzurite azurite = new BenchAzurite(project)) {
            StorageClients raw = azurite.clients();
            raw.ensureExists("bench-raw-import", "benchrawimport");
            int sample = Math.min(20_000, rows);
            RawTableInserts.Result one = new RawTableInserts(raw.table("benchrawimport"), "raw-one", 1).write(0, sample, 600);
            RawTableInserts.Result many = new RawTableInserts(raw.table("benchrawimport"), "raw-many", parallel).write(0, sample, 600);
            System.out.printf("raw batch insert %.0f entities/s with 1 writer, %.0f/s with %d%n", one.entitiesPerSecond(),
                    many.entitiesPerSecond(), parallel);
            ImportThroughput.Result r = new ImportThroughput(azurite).run("bench-import", rows);
            System.out.printf("import: %d rows in %.1f s (%.0f rows/s); heap peak %.0f MiB, live %.0f MiB; %d table and %d"
                    + " queue transactions; max heap %.0f MiB%n", r.rows(), r.seconds(), r.rowsPerSecond(), r.heapPeakMiB(),
                    r.heapLiveMiB(), r.tableTransactions(), r.queueTransactions(), HeapHighWater.maxHeapBytes() / 1048576.0);
            System.out.printf("ratio: %.3f (1 writer) / %.3f (%d writers); per 100 rows: %.2f table, %.2f queue transactions%n",
                    r.rowsPerSecond() / one.entitiesPerSecond(), r.rowsPerSecond() / many.entitiesPerSecond(), parallel,
                    100.0 * r.tableTransactions() / r.rows(), 100.0 * r.queueTransactions() / r.rows());
            System.out.println("load after " + Machine.loadAverage());
        }
        System.exit(0);
    }
}
