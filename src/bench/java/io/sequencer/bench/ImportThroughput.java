package io.sequencer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.adapters.json.Json;
import io.sequencer.functions.FunctionApp;
import java.net.http.HttpResponse;

/**
 * An import through the HTTP API on the whole host: {@code rows} subscribers as CSV, sent in parts of
 * {@link #ROWS_PER_PART} rows, applied by the queue-triggered page job; timed from the first part sent to the
 * import read as completed. The heap's high-water mark is taken over the same stretch (the host runs in this JVM).
 */
final class ImportThroughput {
    static final int ROWS_PER_PART = 50_000;

    record Result(int rows, long imported, double seconds, double rowsPerSecond, double heapPeakMiB,
                  double heapLiveMiB, long tableTransactions, long queueTransactions) {}

    private final BenchAzurite azurite;

    ImportThroughput(BenchAzurite azurite) {
        this.azurite = azurite;
    }

    Result run(String account, int rows) throws Exception {
        try (BenchHost host = BenchHost.start(azurite, BenchHost.Functions.ALL)) {
            StorageClients storage = FunctionApp.get().storage();
            ApiClient client = new ApiClient(host.baseUrl());
            String api = "/api/accounts/" + account;
            System.gc();
            HeapHighWater.reset();
            long startTable = storage.tableTransactions();
            long startQueue = storage.queueTransactions();
            long start = System.nanoTime();
            String importId = null;
            for (int part = 1, from = 0; from < rows; part++, from += ROWS_PER_PART) {
                int to = Math.min(rows, from + ROWS_PER_PART);
                boolean last = to == rows;
                String body = part(from, to, part == 1);
                HttpResponse<String> answer = part == 1
                        ? client.call("POST", api + "/subscribers:import?format=csv&last=" + last, body, "text/csv")
                        : client.call("PUT", api + "/imports/" + importId + "/parts/" + part + "?last=" + last, body, "text/csv");
                if (answer.statusCode() / 100 != 2) {
                    throw new IllegalStateException("part " + part + ": " + answer.statusCode() + " " + answer.body());
                }
                importId = Json.read(answer.body()).path("importId").asText();
            }
            JsonNode job;
            do {
                Thread.sleep(200);
                job = Json.read(client.call("GET", api + "/imports/" + importId + "?limit=1", null, "text/csv").body());
            } while (!job.path("status").asText().equals("completed") && !job.path("status").asText().equals("failed"));
            double seconds = (System.nanoTime() - start) / 1e9;
            double peak = HeapHighWater.peakBytes() / (1024.0 * 1024);
            double live = HeapHighWater.liveAfterFullGcBytes() / (1024.0 * 1024);
            long imported = job.path("rows").path("imported").asLong();
            if (imported != rows) {
                throw new IllegalStateException("imported " + imported + " of " + rows + ": " + job);
            }
            return new Result(rows, imported, seconds, rows / seconds, peak, live,
                    storage.tableTransactions() - startTable, storage.queueTransactions() - startQueue);
        }
    }

    /** Rows {@code from} to {@code to} as CSV records (with the header in the first part): about 45 bytes each. */
    private static String part(int from, int to, boolean header) {
        StringBuilder csv = new StringBuilder((to - from) * 48);
        if (header) {
            csv.append("subscriberId,timezone,attributes.first_name,attributes.plan\r\n");
        }
        for (int i = from; i < to; i++) {
            csv.append(String.format("imp-%07d,Europe/Berlin,Anna %d,%s\r\n", i, i % 97, i % 3 == 0 ? "gold" : "free"));
        }
        return csv.toString();
    }
}
