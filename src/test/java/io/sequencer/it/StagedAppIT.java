package io.sequencer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sequencer.functions.StorageNames;
import io.sequencer.local.StagedApp;
import io.sequencer.testing.LocalHostFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The folder Azure runs, as the Maven plugin staged it: bindings, host settings, and the OpenAPI kept true. */
class StagedAppIT {
    private final StagedApp app = StagedApp.load(LocalHostFixture.stagedApp());

    @Test
    void every_http_function_route_and_method_is_described_in_openapi_yaml() throws Exception {
        JsonNode openapi = new ObjectMapper(new YAMLFactory())
                .readTree(Files.readString(Path.of(System.getProperty("sequencer.projectDir", ".")).resolve("openapi.yaml")));
        JsonNode paths = openapi.path("paths");
        int checked = 0;
        for (StagedApp.FunctionDefinition f : app.functions()) {
            if (f.trigger() instanceof StagedApp.HttpTrigger http) {
                String path = "/" + http.route();
                assertThat(paths.has(path)).as("openapi.yaml documents " + path).isTrue();
                for (String method : http.methods()) {
                    JsonNode operation = paths.path(path).path(method.toLowerCase(Locale.ROOT));
                    assertThat(operation.isObject()).as("openapi.yaml documents " + method + " " + path).isTrue();
                    assertThat(operation.path("operationId").asText()).as("operationId of " + method + " " + path)
                            .isEqualTo(f.name());
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(55);
        long documented = 0;
        for (JsonNode item : paths) {
            documented += StreamSupport.stream(((Iterable<String>) item::fieldNames).spliterator(), false)
                    .filter(k -> !k.equals("parameters")).count();
        }
        assertThat(documented).as("openapi.yaml describes no operation the app lacks").isEqualTo(checked);
    }

    @Test
    void functions_have_the_intended_triggers_auth_levels_and_queue() {
        Map<String, StagedApp.Trigger> triggers = app.functions().stream()
                .collect(Collectors.toMap(StagedApp.FunctionDefinition::name, StagedApp.FunctionDefinition::trigger));
        assertThat(triggers).containsOnlyKeys("health", "putSequence", "getSequence", "listSequences", "pauseSequence",
                "resumeSequence", "archiveSequence", "enroll", "enrollBatch", "listEnrollments", "getEnrollment", "leave",
                "addSubscriber",
                "getSubscriber", "updateSubscriber", "optOut", "getTimeline", "reportEvents", "putNotifications",
                "getNotifications", "deleteNotifications", "putLimits", "getLimits", "deleteLimits", "replayPoison", "getSequenceReport", "getSequenceReportPage", "metrics", "tick", "tick-1", "tick-2", "tick-3", "pump",
                "notify", "sweepPoison", "scheduleBroadcast", "getBroadcast", "cancelBroadcast", "reportBroadcastEvents",
                "getBroadcastReport", "getBroadcastReportPage", "fanOutBroadcast", "sendBroadcast", "putSecret", "listSecrets",
                "deleteSecret", "createSequenceReportLink", "createBroadcastReportLink", "getSharedReportPage",
                "getSharedReportCsv", "createAccountKey", "listAccountKeys", "revokeAccountKey", "previewStep", "testSendStep",
                "importSubscribers", "putImportPart", "getImport", "importPages", "exportSubscribers", "exportEnrollments", "exportAccountEnrollments",
                "leaveInBulk", "moveInBulk", "getJob", "runJobPage");
        assertThat(triggers.get("health")).isEqualTo(new StagedApp.HttpTrigger("health", List.of("GET"), "ANONYMOUS"));
        // The app authenticates every request itself (admin key or account key, Access): the host would refuse an
        // account key at function level, so no HTTP function asks the host for a key.
        triggers.forEach((name, trigger) -> {
            if (trigger instanceof StagedApp.HttpTrigger http) {
                assertThat(http.authLevel()).as(name).isEqualTo("ANONYMOUS");
            }
        });
        assertThat(triggers.get("tick")).isEqualTo(new StagedApp.QueueTrigger("sequencer-ticks", "AzureWebJobsStorage"));
        for (int shard = 1; shard <= 3; shard++) {
            assertThat(triggers.get("tick-" + shard)).as("timer shard " + shard)
                    .isEqualTo(new StagedApp.QueueTrigger("sequencer-ticks-" + shard, "AzureWebJobsStorage"));
        }
        assertThat(triggers.get("pump")).isEqualTo(new StagedApp.TimerTrigger("*/15 * * * * *"));
        assertThat(triggers.get("fanOutBroadcast"))
                .isEqualTo(new StagedApp.QueueTrigger("sequencer-broadcast-pages", "AzureWebJobsStorage"));
        assertThat(triggers.get("sendBroadcast"))
                .isEqualTo(new StagedApp.QueueTrigger("sequencer-broadcast-sends", "AzureWebJobsStorage"));
        assertThat(triggers.get("importPages"))
                .isEqualTo(new StagedApp.QueueTrigger("sequencer-imports", "AzureWebJobsStorage"));
        assertThat(triggers.get("runJobPage"))
                .isEqualTo(new StagedApp.QueueTrigger("sequencer-job-pages", "AzureWebJobsStorage"));
        assertThat(triggers.get("notify")).isEqualTo(new StagedApp.TimerTrigger("*/5 * * * * *"));
        assertThat(triggers.get("sweepPoison")).isEqualTo(new StagedApp.TimerTrigger("*/30 * * * * *"));
    }

    @Test
    void host_json_sets_the_queue_trigger_on_purpose() {
        StagedApp.QueueOptions queues = app.queueOptions();
        assertThat(queues.maxPollingInterval()).isLessThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(queues.visibilityTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(queues.maxDequeueCount()).isEqualTo(5);
        // The tick function records a tick's error on the attempt after which the host poisons it.
        assertThat(queues.maxDequeueCount()).isEqualTo(StorageNames.MAX_DEQUEUE_COUNT);
        assertThat(queues.batchSize()).isEqualTo(16);
        assertThat(queues.messageEncoding()).isEqualTo("base64");
        assertThat(app.routePrefix()).isEqualTo("api");
    }
}
