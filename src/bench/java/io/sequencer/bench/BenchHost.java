package io.sequencer.bench;

import io.sequencer.functions.Settings;
import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.functions.FunctionApp;
import io.sequencer.local.LocalHost;
import io.sequencer.local.StagedApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The staged app on the local host, in this JVM, against the benchmark's Azurite: either whole, or with its
 * HTTP functions only, so subscribers can be enrolled while nothing consumes the tick queue yet.
 */
final class BenchHost implements AutoCloseable {
    static final String FUNCTION_KEY = "bench-admin-key-0123456789abcdef-01";

    enum Functions { ALL, HTTP_ONLY }

    private final LocalHost host;

    private BenchHost(LocalHost host) {
        this.host = host;
    }

    static Path stagedApp() {
        Path staged = Path.of(System.getProperty("sequencer.stagingDir", "target/azure-functions/sequencer"));
        if (!Files.isRegularFile(staged.resolve("host.json"))) {
            throw new IllegalStateException(staged + " has no staged app: run mvn package first");
        }
        return staged;
    }

    /** The trigger's parallelism from the staged host.json: batchSize + newBatchThreshold invocations at once. */
    static StagedApp.QueueOptions queueOptions() {
        return StagedApp.load(stagedApp()).queueOptions();
    }

    /**
     * The app's settings, storage at {@code connectionString}; {@code tickShards} empty leaves the timer shards at
     * the app's default.
     */
    static Map<String, String> settings(String connectionString, Optional<Integer> tickShards) {
        // The harness's receivers listen on 127.0.0.1.
        Map<String, String> settings = new HashMap<>(Map.of("AzureWebJobsStorage", connectionString,
                LocalHost.FUNCTION_KEY_SETTING, FUNCTION_KEY, Settings.ALLOW_LOOPBACK, "true"));
        tickShards.ifPresent(n -> settings.put(Settings.TICK_SHARDS, Integer.toString(n)));
        return settings;
    }

    static BenchHost start(BenchAzurite azurite, Functions functions) throws IOException {
        return start(azurite, functions, Optional.empty());
    }

    static BenchHost start(BenchAzurite azurite, Functions functions, Optional<Integer> tickShards) throws IOException {
        return start(azurite.connectionString(), functions, tickShards);
    }

    /** The app on the storage of {@code connectionString} (the bench Azurite, or a proxy in front of its queues). */
    static BenchHost start(String connectionString, Functions functions, Optional<Integer> tickShards) throws IOException {
        return new BenchHost(LocalHost.start(definitions(functions), settings(connectionString, tickShards), 0));
    }

    LocalHost host() {
        return host;
    }

    String baseUrl() {
        return host.baseUrl();
    }

    /** host.json and the function.json files the host reads (the code comes from the class path). */
    private static Path definitions(Functions functions) throws IOException {
        Path staged = stagedApp();
        Path copy = Files.createTempDirectory("bench-app");
        Files.copy(staged.resolve("host.json"), copy.resolve("host.json"));
        try (Stream<Path> dirs = Files.list(staged)) {
            for (Path dir : dirs.toList()) {
                Path functionJson = dir.resolve("function.json");
                if (!Files.isRegularFile(functionJson)) {
                    continue;
                }
                if (functions == Functions.HTTP_ONLY && isQueueTriggered(Json.read(Files.readString(functionJson)))) {
                    continue;
                }
                Files.createDirectories(copy.resolve(dir.getFileName()));
                Files.copy(functionJson, copy.resolve(dir.getFileName()).resolve("function.json"));
            }
        }
        return copy;
    }

    private static boolean isQueueTriggered(JsonNode functionJson) {
        for (JsonNode binding : functionJson.path("bindings")) {
            if (binding.path("type").asText().equals("queueTrigger")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        host.stop(Duration.ofSeconds(10));
    }
}
