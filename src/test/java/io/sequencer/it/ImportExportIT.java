package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.LocalHostFixture;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Subscribers imported from a file sent in parts, over HTTP on the local host and Azurite: staged, applied by the
 * queue-triggered page job, bad rows reported by line; then exported back, page by page, as CSV and NDJSON.
 */
class ImportExportIT {
    private static LocalHostFixture host;
    private static WebhookSink sink;

    @BeforeAll
    static void start() throws Exception {
        host = LocalHostFixture.start();
        sink = new WebhookSink(LocalHostFixture.HOOK_SECRET);
    }

    @AfterAll
    static void stop() {
        sink.close();
        host.close();
    }

    private static String sequence(String account, String extra) {
        return """
                {"name":"Drip",%s"steps":[{"id":"later","delay":{"amount":1,"unit":"days"},"message":{"text":"hi"}}],
                 "channel":{"type":"webhook","url":"%s","secretSetting":"%s"}}"""
                .formatted(extra, sink.url(), LocalHostFixture.hookSecretSetting(account));
    }

    private static HttpResponse<String> call(String method, String path, String body) {
        return host.call(method, path, body);
    }

    private static JsonNode get(String path) {
        HttpResponse<String> response = call("GET", path, null);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return Json.read(response.body());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(Json.read(response.body()).path("field").asText()).isEqualTo(field);
    }

    private static String rows(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> String.format("s%04d,\"gold, \"\"plus\"\"\",%s\r\n", i,
                i % 10 == 0 ? "drip" : "")).collect(Collectors.joining());
    }

    private static JsonNode awaitDone(String api, String importId) {
        await(() -> get(api + "/imports/" + importId).path("status").asText().equals("completed"),
                Duration.ofSeconds(90));
        return get(api + "/imports/" + importId);
    }

    @Test
    void a_file_sent_in_parts_is_imported_with_bad_rows_by_line_and_exported_back_page_by_page() {
        String account = "import-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/api/accounts/" + account;
        assertThat(call("PUT", api + "/sequences/drip", sequence(account, "")).statusCode()).isEqualTo(201);
        assertThat(call("PUT", api + "/sequences/hello", sequence(account, "\"enrollOn\":\"subscribed\","))
                .statusCode()).isEqualTo(201);

        HttpResponse<String> started = call("POST", api + "/subscribers:import?format=csv&last=false",
                "subscriberId,attributes.plan,sequences\r\n" + rows(0, 250) + "not an id,gold,\r\n");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode job = Json.read(started.body());
        String importId = job.path("importId").asText();
        assertThat(started.headers().firstValue("Location")).contains(api + "/imports/" + importId);
        assertThat(job.path("status").asText()).isEqualTo("receiving");
        assertThat(job.path("rows").path("received").asInt()).isEqualTo(251);

        String part2 = rows(250, 350) + "s0999,gold,nowhere\r\n";
        JsonNode second = Json.read(call("PUT", api + "/imports/" + importId + "/parts/2?last=true", part2).body());
        assertThat(second.path("partsReceived").asInt()).isEqualTo(2);
        HttpResponse<String> repeated = call("PUT", api + "/imports/" + importId + "/parts/2?last=true", part2);
        assertThat(repeated.statusCode()).isEqualTo(200);
        assertThat(Json.read(repeated.body()).path("rows").path("received").asInt())
                .as("a part sent again is not read again").isEqualTo(352);
        assertProblem(call("PUT", api + "/imports/" + importId + "/parts/3", "s1000,gold,\r\n"), 409, "part");

        JsonNode done = awaitDone(api, importId);
        assertThat(done.path("rows").path("imported").asInt()).isEqualTo(350);
        assertThat(done.path("rows").path("failed").asInt()).isEqualTo(2);
        assertThat(done.path("rows").path("pending").asInt()).isZero();
        assertThat(done.path("linesRead").asInt()).isEqualTo(353);
        List<String> errors = new ArrayList<>();
        done.path("errors").forEach(e -> errors.add(e.path("line").asInt() + " " + e.path("field").asText()));
        assertThat(errors).containsExactly("252 subscriberId", "353 sequences[0]");
        assertThat(done.path("nextErrorsAfter").isNull()).isTrue();
        JsonNode firstError = get(api + "/imports/" + importId + "?limit=1");
        assertThat(firstError.path("errors")).hasSize(1);
        assertThat(firstError.path("nextErrorsAfter").asInt()).isEqualTo(252);
        assertThat(get(api + "/imports/" + importId + "?errorsAfter=252").path("errors")).hasSize(1);

        JsonNode profile = get(api + "/subscribers/s0007");
        assertThat(profile.path("attributes").path("plan").asText()).isEqualTo("gold, \"plus\"");
        assertThat(profile.path("sequences")).as("welcome sequences start only when asked").isEmpty();
        JsonNode enrollment = get(api + "/sequences/drip/subscribers/s0010");
        assertThat(enrollment.path("status").asText()).isEqualTo("active");
        assertThat(enrollment.path("startedBy").asText()).isEqualTo("import " + importId);

        // Exported back: CSV pages of at most 100, linked one to the next.
        List<String> ids = new ArrayList<>();
        String next = api + "/subscribers:export?format=csv&limit=100";
        int pages = 0;
        while (next != null) {
            HttpResponse<String> page = call("GET", next, null);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
            String[] lines = page.body().split("\r\n");
            assertThat(lines[0]).isEqualTo("subscriberId,timezone,optedOut,optedOutAt,sequences,attributes,createdAt,updatedAt");
            Arrays.stream(lines).skip(1).forEach(line -> ids.add(line.substring(0, line.indexOf(','))));
            if (ids.contains("s0010") && pages == 0) {
                String row = Arrays.stream(lines).filter(l -> l.startsWith("s0010,")).findFirst().orElseThrow();
                assertThat(row).contains(",drip,\"{\"\"plan\"\":\"\"gold, \\\"\"plus\\\"\"\"\"}\",");
            }
            next = page.headers().firstValue("Link").map(link -> link.substring(1, link.indexOf('>'))).orElse(null);
            assertThat(++pages).isLessThanOrEqualTo(4);
        }
        // s0999's row failed on its sequence, after its profile was stored.
        assertThat(ids).hasSize(351).isSorted().first().isEqualTo("s0000");
        assertThat(ids).last().isEqualTo("s0999");

        HttpResponse<String> enrollments = call("GET", api + "/sequences/drip/subscribers:export", null);
        assertThat(enrollments.headers().firstValue("Content-Type").orElse("")).startsWith("application/x-ndjson");
        List<JsonNode> lines = enrollments.body().lines().map(Json::read).toList();
        assertThat(lines).hasSize(35).allMatch(line -> line.path("sequenceId").asText().equals("drip"));
        assertThat(enrollments.headers().firstValue("Sequencer-Continuation")).isEmpty();

        // The account's enrollments, across its sequences: hello has none (nobody was welcomed), drip 35.
        assertThat(call("PUT", api + "/sequences/drip/subscribers/s0001", null).statusCode()).isEqualTo(201);
        assertThat(call("PUT", api + "/sequences/hello/subscribers/s0001", null).statusCode()).isEqualTo(201);
        List<String> keys = new ArrayList<>();
        String nextPage = api + "/enrollments:export?limit=7";
        int accountPages = 0;
        while (nextPage != null) {
            HttpResponse<String> page = call("GET", nextPage, null);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            page.body().lines().map(Json::read)
                    .forEach(e -> keys.add(e.path("sequenceId").asText() + "/" + e.path("subscriberId").asText()));
            nextPage = page.headers().firstValue("Link").map(link -> link.substring(1, link.indexOf('>'))).orElse(null);
            assertThat(++accountPages).isLessThanOrEqualTo(10);
        }
        assertThat(keys).hasSize(37).doesNotHaveDuplicates().startsWith("drip/s0000", "drip/s0001", "drip/s0010")
                .endsWith("drip/s0340", "hello/s0001");
        assertProblem(call("GET", api + "/enrollments:export?continuation=bm9wZQ", null), 400, "continuation");
    }

    @Test
    void ndjson_with_welcome_starts_the_welcome_sequences_and_bad_requests_name_their_field() {
        String account = "import-" + UUID.randomUUID().toString().substring(0, 8);
        String api = "/api/accounts/" + account;
        assertThat(call("PUT", api + "/sequences/hello", sequence(account, "\"enrollOn\":\"subscribed\","))
                .statusCode()).isEqualTo(201);
        HttpResponse<String> started = host.call("POST", api + "/subscribers:import?welcome=true", """
                {"subscriberId":"ann","timezone":"Europe/Paris","attributes":{"age":41}}
                {"subscriberId":"bob"}
                """, Map.of("x-functions-key", LocalHostFixture.FUNCTION_KEY, "Content-Type", "application/x-ndjson"));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode done = awaitDone(api, Json.read(started.body()).path("importId").asText());
        assertThat(done.path("rows").path("imported").asInt()).isEqualTo(2);
        assertThat(get(api + "/sequences/hello/subscribers/ann").path("status").asText()).isEqualTo("active");
        assertThat(get(api + "/subscribers/ann").path("attributes").path("age").asInt()).isEqualTo(41);

        assertProblem(call("POST", api + "/subscribers:import", "{\"subscriberId\":\"x\"}"), 400, "format");
        assertProblem(call("POST", api + "/subscribers:import?format=csv", "id,email\r\nx,y\r\n"), 400, "header");
        assertProblem(call("POST", api + "/subscribers:import?format=csv&welcome=maybe", "subscriberId\r\nx\r\n"), 400,
                "welcome");
        assertThat(call("GET", api + "/imports/imp-000000", null).statusCode()).isEqualTo(404);
        assertProblem(call("GET", api + "/subscribers:export?limit=0", null), 400, "limit");
        assertProblem(call("GET", api + "/subscribers:export?format=xml", null), 400, "format");
        assertProblem(call("GET", api + "/subscribers:export?continuation=%2F%2F", null), 400, "continuation");
    }
}
