package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.Azurite;
import io.sequencer.testing.LocalHostFixture;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bulk jobs over HTTP on the local host and Azurite: a listed leave and a filtered move run in pages from their queue,
 * show their progress and per-item errors, start nothing new under the same Idempotency-Key, and move the report's
 * live waiting counts.
 */
class JobsIT {
    private static LocalHostFixture host;
    private static WebhookSink sink;

    @BeforeAll
    static void start() throws Exception {
        host = LocalHostFixture.start(Map.of("AzureWebJobsStorage", Azurite.shared().connectionString()), json -> { });
        sink = new WebhookSink(LocalHostFixture.HOOK_SECRET);
    }

    @AfterAll
    static void stop() {
        sink.close();
        host.close();
    }

    private static String sequence(String account) {
        return """
                {"name":"Bulk","steps":[
                  {"id":"hello","delay":{"amount":0,"unit":"seconds"},"message":{"text":"hello"}},
                  {"id":"later","delay":{"amount":1,"unit":"days"},"message":{"text":"later"}},
                  {"id":"last","delay":{"amount":2,"unit":"days"},"message":{"text":"last"}}],
                 "channel":{"type":"webhook","url":"%s","secretSetting":"%s"}}"""
                .formatted(sink.url(), LocalHostFixture.hookSecretSetting(account));
    }

    private static JsonNode get(String path) {
        HttpResponse<String> response = host.call("GET", path, null);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return Json.read(response.body());
    }

    private static Map<String, Integer> waiting(String base) {
        JsonNode steps = get(base + "/report").path("steps");
        List<JsonNode> all = new ArrayList<>();
        steps.forEach(all::add);
        return all.stream().collect(Collectors.toMap(s -> s.path("stepId").asText(), s -> s.path("waiting").asInt()));
    }

    private static JsonNode finished(String account, String location) {
        assertThat(location).startsWith("/api/accounts/" + account + "/jobs/job-");
        await(() -> !get(location).path("status").asText().equals("running"), Duration.ofSeconds(90));
        return get(location);
    }

    @Test
    void a_listed_leave_and_a_filtered_move_run_as_jobs_and_move_the_waiting_counts() {
        String account = "jobs-" + UUID.randomUUID().toString().substring(0, 8);
        String base = "/api/accounts/" + account + "/sequences/bulk";
        assertThat(host.call("PUT", base, sequence(account)).statusCode()).isEqualTo(201);
        String batch = IntStream.range(0, 130).mapToObj(i -> "{\"subscriberId\":\"s%03d\"}".formatted(i))
                .collect(Collectors.joining(",", "{\"subscribers\":[", "]}"));
        assertThat(host.call("POST", base + "/subscribers:batch", batch).statusCode()).isEqualTo(200);
        await(() -> waiting(base).getOrDefault("later", 0) == 130, Duration.ofSeconds(120));
        assertThat(waiting(base)).containsEntry("hello", 0).containsEntry("last", 0);

        List<String> leaving = new ArrayList<>(IntStream.range(0, 60).mapToObj(i -> "s%03d".formatted(i)).toList());
        leaving.add(30, "ghost");
        String leaveBody = leaving.stream().map(id -> "\"" + id + "\"")
                .collect(Collectors.joining(",", "{\"subscriberIds\":[", "]}"));
        Map<String, String> key = Map.of("x-functions-key", LocalHostFixture.FUNCTION_KEY,
                "Idempotency-Key", "leave-" + account);
        HttpResponse<String> started = host.call("POST", base + "/subscribers:leave", leaveBody, key);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String location = started.headers().firstValue("Location").orElseThrow();
        JsonNode job = Json.read(started.body());
        assertThat(job.path("action").asText()).isEqualTo("leave");
        assertThat(job.path("total").asInt()).isEqualTo(61);
        HttpResponse<String> again = host.call("POST", base + "/subscribers:leave", leaveBody, key);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(Json.read(again.body()).path("id").asText()).as("the same job").isEqualTo(job.path("id").asText());

        JsonNode left = finished(account, location);
        assertThat(left.path("status").asText()).isEqualTo("done");
        assertThat(left.path("processed").asInt()).isEqualTo(61);
        assertThat(left.path("succeeded").asInt()).isEqualTo(60);
        assertThat(left.path("failed").asInt()).isEqualTo(1);
        assertThat(left.path("errors").get(0).path("subscriberId").asText()).isEqualTo("ghost");
        assertThat(left.path("errors").get(0).path("kind").asText()).isEqualTo("not_found");
        assertThat(get(base + "/subscribers/s000").path("status").asText()).isEqualTo("left");
        assertThat(waiting(base)).containsEntry("later", 70);

        HttpResponse<String> move = host.call("POST", base + "/subscribers:move",
                "{\"toStepId\":\"last\",\"filter\":{\"status\":[\"active\"],\"stepId\":\"later\"}}");
        assertThat(move.statusCode()).as(move.body()).isEqualTo(202);
        JsonNode moved = finished(account, move.headers().firstValue("Location").orElseThrow());
        assertThat(moved.path("status").asText()).isEqualTo("done");
        assertThat(moved.path("processed").asInt()).isEqualTo(70);
        assertThat(moved.path("failed").asInt()).isZero();
        assertThat(moved.path("total").asInt()).isEqualTo(70);
        assertThat(get(base + "/subscribers/s100").path("nextStepId").asText()).isEqualTo("last");
        assertThat(waiting(base)).containsEntry("later", 0).containsEntry("last", 70);
        HttpResponse<String> csv = host.call("GET", base + "/report?format=csv", null);
        assertThat(csv.body()).contains("step,last,,waiting,70");
    }

    @Test
    void bad_requests_name_their_field_and_another_account_sees_no_job() {
        String account = "jobs-" + UUID.randomUUID().toString().substring(0, 8);
        String base = "/api/accounts/" + account + "/sequences/bulk";
        assertThat(host.call("PUT", base, sequence(account)).statusCode()).isEqualTo(201);
        assertField(host.call("POST", base + "/subscribers:leave", "{}"), 400, "subscriberIds");
        assertField(host.call("POST", base + "/subscribers:leave",
                "{\"subscriberIds\":[\"a\"],\"filter\":{}}"), 400, "filter");
        assertField(host.call("POST", base + "/subscribers:leave", "{\"subscriberIds\":[\"a b\"]}"), 400,
                "subscriberIds[0]");
        String tooMany = IntStream.range(0, 1001).mapToObj(i -> "\"s" + i + "\"")
                .collect(Collectors.joining(",", "{\"subscriberIds\":[", "]}"));
        assertField(host.call("POST", base + "/subscribers:leave", tooMany), 400, "subscriberIds");
        assertField(host.call("POST", base + "/subscribers:move", "{\"filter\":{}}"), 400, "toStepId");
        assertField(host.call("POST", base + "/subscribers:move", "{\"toStepId\":\"nope\",\"filter\":{}}"), 400,
                "toStepId");
        assertField(host.call("POST", base + "/subscribers:move",
                "{\"toStepId\":\"last\",\"filter\":{\"status\":[\"waiting\"]}}"), 400, "filter.status");
        assertThat(host.call("POST", "/api/accounts/" + account + "/sequences/none/subscribers:leave",
                "{\"subscriberIds\":[\"a\"]}").statusCode()).isEqualTo(404);
        HttpResponse<String> started = host.call("POST", base + "/subscribers:leave", "{\"filter\":{}}");
        assertThat(started.statusCode()).isEqualTo(202);
        String id = Json.read(started.body()).path("id").asText();
        assertThat(host.call("GET", "/api/accounts/" + account + "-other/jobs/" + id, null).statusCode()).isEqualTo(404);
        assertThat(host.call("GET", "/api/accounts/" + account + "/jobs/job-none", null).statusCode()).isEqualTo(404);
    }

    private static void assertField(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(Json.read(response.body()).toString()).as(response.body()).contains("\"" + field + "\"");
    }
}
