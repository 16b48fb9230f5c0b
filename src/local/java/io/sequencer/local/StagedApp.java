package io.sequencer.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The function app folder the Maven plugin stages ({@code target/azure-functions/<app>/}), read the way the
 * Functions host reads it: {@code host.json} and one {@code <function>/function.json} per function.
 */
public record StagedApp(Path folder, String routePrefix, QueueOptions queueOptions, Duration functionTimeout,
                        List<FunctionDefinition> functions) {
    /** The host's {@code functionTimeout} when host.json gives none (Premium, Dedicated and Flex Consumption). */
    static final Duration DEFAULT_FUNCTION_TIMEOUT = Duration.ofMinutes(30);

    /** One function: the {@code Class.method} to call and the trigger that calls it. */
    public record FunctionDefinition(String name, String className, String methodName, Trigger trigger) {}

    /** What starts a function. */
    public sealed interface Trigger {}

    public record HttpTrigger(String route, List<String> methods, String authLevel) implements Trigger {
        public boolean needsKey() {
            return !authLevel.equalsIgnoreCase("ANONYMOUS");
        }
    }

    public record QueueTrigger(String queueName, String connection) implements Trigger {}

    public record TimerTrigger(String schedule) implements Trigger {}

    /** The queue trigger settings of host.json ({@code extensions.queues}), with the host's defaults. */
    public record QueueOptions(int batchSize, int newBatchThreshold, Duration maxPollingInterval,
                               Duration visibilityTimeout, int maxDequeueCount, String messageEncoding) {}

    /**
     * The app without the functions that app settings disable, as the host reads them:
     * {@code AzureWebJobs.<name>.Disabled} set to {@code true} (or {@code 1}). A disabled function is not
     * triggered at all; a disabled HTTP function's route answers 404.
     */
    public StagedApp withoutDisabled(Map<String, String> settings) {
        List<FunctionDefinition> enabled = functions.stream().filter(f -> {
            String value = settings.get("AzureWebJobs." + f.name() + ".Disabled");
            return value == null || !(value.trim().equalsIgnoreCase("true") || value.trim().equals("1"));
        }).toList();
        return new StagedApp(folder, routePrefix, queueOptions, functionTimeout, enabled);
    }

    public static StagedApp load(Path folder) {
        Path hostJson = folder.resolve("host.json");
        if (!Files.isRegularFile(hostJson)) {
            throw new IllegalStateException(folder + " is not a staged function app (no host.json); run: mvn package");
        }
        JsonNode host = readJson(hostJson);
        String routePrefix = host.path("extensions").path("http").path("routePrefix").asText("api");
        QueueOptions queues = queueOptions(host.path("extensions").path("queues"));
        Duration functionTimeout = host.hasNonNull("functionTimeout")
                ? timeSpan(host.get("functionTimeout").asText()) : DEFAULT_FUNCTION_TIMEOUT;
        List<FunctionDefinition> functions = new ArrayList<>();
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path dir : entries.sorted().toList()) {
                Path functionJson = dir.resolve("function.json");
                if (Files.isRegularFile(functionJson)) {
                    functions.add(function(dir.getFileName().toString(), readJson(functionJson)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new StagedApp(folder, routePrefix, queues, functionTimeout, List.copyOf(functions));
    }

    private static FunctionDefinition function(String name, JsonNode json) {
        String entryPoint = json.path("entryPoint").asText();
        int dot = entryPoint.lastIndexOf('.');
        if (dot < 0) {
            throw new IllegalStateException(name + ": entryPoint must be Class.method, was " + entryPoint);
        }
        Trigger trigger = null;
        for (JsonNode binding : json.path("bindings")) {
            String type = binding.path("type").asText();
            if (type.equals("httpTrigger")) {
                List<String> methods = new ArrayList<>();
                binding.path("methods").forEach(m -> methods.add(m.asText().toUpperCase(Locale.ROOT)));
                trigger = new HttpTrigger(binding.path("route").asText(name), List.copyOf(methods),
                        binding.path("authLevel").asText("FUNCTION"));
            } else if (type.equals("timerTrigger")) {
                trigger = new TimerTrigger(binding.path("schedule").asText());
            } else if (type.equals("queueTrigger")) {
                trigger = new QueueTrigger(binding.path("queueName").asText(),
                        binding.path("connection").asText("AzureWebJobsStorage"));
            }
        }
        if (trigger == null) {
            throw new IllegalStateException(name + ": no trigger this local host supports");
        }
        return new FunctionDefinition(name, entryPoint.substring(0, dot), entryPoint.substring(dot + 1), trigger);
    }

    /** Defaults and limits as documented for the Storage queue extension 5.x. */
    private static QueueOptions queueOptions(JsonNode queues) {
        int batchSize = queues.path("batchSize").asInt(16);
        if (batchSize < 1 || batchSize > 32) {
            throw new IllegalStateException("host.json extensions.queues.batchSize must be 1 to 32, was " + batchSize);
        }
        return new QueueOptions(
                batchSize,
                queues.path("newBatchThreshold").asInt(batchSize / 2 * Runtime.getRuntime().availableProcessors()),
                timeSpan(queues.path("maxPollingInterval").asText("00:01:00")),
                timeSpan(queues.path("visibilityTimeout").asText("00:00:00")),
                queues.path("maxDequeueCount").asInt(5),
                queues.path("messageEncoding").asText("base64"));
    }

    /** A .NET TimeSpan as host.json writes it: {@code [d.]hh:mm:ss[.fff]}. */
    static Duration timeSpan(String text) {
        String[] dayRest = text.split("\\.", 2);
        long days = 0;
        String clock = text;
        if (dayRest.length == 2 && !dayRest[0].contains(":")) {
            days = Long.parseLong(dayRest[0]);
            clock = dayRest[1];
        }
        String[] parts = clock.split(":");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a TimeSpan: " + text);
        }
        double seconds = Double.parseDouble(parts[2]);
        return Duration.ofDays(days).plusHours(Long.parseLong(parts[0])).plusMinutes(Long.parseLong(parts[1]))
                .plusMillis(Math.round(seconds * 1000));
    }

    private static JsonNode readJson(Path file) {
        try {
            return Json.MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
