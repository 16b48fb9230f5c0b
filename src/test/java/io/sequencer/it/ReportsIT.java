package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.HeadlessChromium;
import io.sequencer.testing.LocalHostFixture;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reports end to end on the local host: figures after real sends and events, as JSON and as CSV, and errors. */
class ReportsIT {
    private static LocalHostFixture host;
    private static WebhookSink sink;
    private static final String ACCOUNT = "report-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String PATH = "/api/accounts/" + ACCOUNT + "/sequences/promo";

    @BeforeAll
    static void start() throws Exception {
        host = LocalHostFixture.start();
        sink = new WebhookSink(LocalHostFixture.HOOK_SECRET);
        assertThat(host.call("PUT", PATH, """
                {"name":"Promo, \\"spring\\"","steps":[
                  {"id":"one","delay":{"amount":0,"unit":"seconds"},"message":{"text":"hello"}},
                  {"id":"two","delay":{"amount":2,"unit":"seconds"},"message":{"text":"again"}}],
                 "channel":{"type":"webhook","url":"%s","secretSetting":"%s"}}"""
                .formatted(sink.url(), LocalHostFixture.hookSecretSetting(ACCOUNT))).statusCode()).isEqualTo(201);
        String batch = IntStream.range(0, 6).mapToObj(i -> "{\"subscriberId\":\"s" + i + "\"}")
                .collect(Collectors.joining(",", "{\"subscribers\":[", "]}"));
        assertThat(host.call("POST", PATH + "/subscribers:batch", batch).statusCode()).isEqualTo(200);
        await(() -> sink.received().stream().filter(r -> r.payload().path("account").asText().equals(ACCOUNT)).count() >= 12,
                Duration.ofSeconds(40));
        String clicks = IntStream.range(0, 2).mapToObj(i -> """
                {"subscriberId":"s%d","type":"clicked","sequenceId":"promo","stepId":"one"}""".formatted(i))
                .collect(Collectors.joining(",", "[", "]"));
        assertThat(host.call("POST", "/api/accounts/" + ACCOUNT + "/events", clicks).statusCode()).isEqualTo(200);
        assertThat(host.call("POST", "/api/accounts/" + ACCOUNT + "/events", clicks).statusCode()).isEqualTo(200);
        await(() -> report("").path("enrollments").path("completed").asLong() == 6, Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() {
        sink.close();
        host.close();
    }

    private static JsonNode report(String query) {
        HttpResponse<String> response = host.call("GET", PATH + "/report" + query, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.read(response.body());
    }

    @Test
    void the_report_counts_each_send_and_each_click_once() {
        JsonNode report = report("");
        assertThat(report.path("name").asText()).isEqualTo("Promo, \"spring\"");
        assertThat(report.path("enrollments").path("enrolled").asLong()).isEqualTo(6);
        assertThat(report.path("enrollments").path("active").asLong()).isZero();
        JsonNode one = report.path("steps").get(0);
        assertThat(one.path("sent").asLong()).isEqualTo(6);
        assertThat(one.path("clicked").asLong()).isEqualTo(2);
        assertThat(one.path("delivered").asLong()).isEqualTo(2);
        assertThat(one.path("clickRate").asDouble()).isEqualTo(0.3333);
        assertThat(one.path("failed").path("total").asLong()).isZero();
        assertThat(report.path("steps").get(1).path("sent").asLong()).isEqualTo(6);
        assertThat(report.path("steps").get(1).path("medianSecondsToStep").asDouble()).isBetween(1.5, 15.0);
        assertThat(report.path("days")).hasSize(1);
        assertThat(report.path("days").get(0).path("sent").asLong()).isEqualTo(12);
        assertThat(report.path("poisoned").path("count").asLong()).isZero();
    }

    @Test
    void the_csv_carries_exactly_the_figures_of_the_json() {
        String day = report("").path("days").get(0).path("day").asText();
        String query = "?from=" + day + "&to=" + day;
        HttpResponse<String> csv = host.call("GET", PATH + "/report" + query + "&format=csv", null);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        List<List<String>> rows = parseCsv(csv.body());
        assertThat(rows.get(0)).containsExactly("section", "step_id", "day", "metric", "value");

        Map<String, String> fromCsv = new TreeMap<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            assertThat(row).hasSize(5);
            fromCsv.put(String.join("/", row.subList(0, 4)), row.get(4));
        }
        JsonNode json = report(query);
        Map<String, String> fromJson = new TreeMap<>();
        flatten(json, fromJson);
        fromJson.remove("report///generatedAt");
        fromCsv.remove("report///generatedAt");
        assertThat(fromCsv).isEqualTo(fromJson);
        assertThat(fromCsv).containsEntry("step/one//clicked", "2").containsEntry("report///name", "Promo, \"spring\"");
    }

    @Test
    void the_report_page_renders_in_a_real_browser_without_errors() {
        HttpResponse<String> page = host.call("GET", PATH + "/report.html", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                p -> assertThat(p).startsWith("default-src 'none'"));
        assertThat(page.body()).contains("Promo, &quot;spring&quot;").doesNotContain("<script");

        try (HeadlessChromium browser = HeadlessChromium.start(1280, 900)) {
            // A browser opens a report link, never a URL with a key in it.
            String link = Json.read(host.call("POST", PATH + "/report:link", null).body()).path("url").asText();
            HeadlessChromium.Rendering rendering = browser.render(URI.create(link), Duration.ofSeconds(30), "svg");
            assertThat(rendering.errors()).isEmpty();
            assertThat(rendering.elements("svg")).hasSize(2)
                    .allSatisfy(svg -> assertThat(svg.box()).hasValueSatisfying(b -> assertThat(b.width()).isGreaterThan(300)));
            assertThat(rendering.png().length).isGreaterThan(10_000);
        }
    }

    @Test
    void bad_requests_get_problems_that_name_the_field() {
        assertProblem(host.call("GET", PATH + "/report?from=yesterday", null), 400, "from");
        assertProblem(host.call("GET", PATH + "/report?from=2026-03-02&to=2026-03-01", null), 400, "to");
        assertProblem(host.call("GET", PATH + "/report?format=xml", null), 400, "format");
        // A parser takes years of nine digits; a report does not, in any form.
        for (String page : List.of("/report", "/report.html", "/report?format=csv&")) {
            String query = page.endsWith("&") ? page : page + "?";
            assertProblem(host.call("GET", PATH + query + "to=%2B999999999-12-31", null), 400, "to");
            assertProblem(host.call("GET", PATH + query + "from=%2B999999999-12-31", null), 400, "from");
            assertProblem(host.call("GET", PATH + query + "from=-999999999-01-01&to=2026-03-01", null), 400, "from");
        }
        assertProblem(host.call("GET", "/api/accounts/" + ACCOUNT + "/sequences/nope/report", null), 404, null);
        assertProblem(host.call("GET", "/api/accounts/" + ACCOUNT + "/sequences/nope/report.html", null), 404, null);
        assertThat(host.call("GET", PATH + "/report", null, Map.of("x-functions-key", "wrong")).statusCode())
                .isEqualTo(401);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        if (field != null) {
            assertThat(Json.read(response.body()).path("field").asText()).isEqualTo(field);
        }
    }

    /** The report's JSON as section/step/day/metric → value, the way a reader of the CSV would see it. */
    private static void flatten(JsonNode report, Map<String, String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = report.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            switch (field.getKey()) {
                case "steps" -> field.getValue().forEach(s -> leaves(s, "step/" + s.path("stepId").asText() + "//", "", "stepId", out));
                case "days" -> field.getValue().forEach(d -> leaves(d, "day//" + d.path("day").asText() + "/", "", "day", out));
                default -> {
                    if (field.getValue().isObject()) {
                        leaves(field.getValue(), field.getKey() + "///", "", null, out);
                    } else {
                        out.put("report///" + field.getKey(), text(field.getValue()));
                    }
                }
            }
        }
    }

    private static void leaves(JsonNode node, String key, String prefix, String skip, Map<String, String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(skip)) {
                continue;
            }
            if (field.getValue().isObject()) {
                leaves(field.getValue(), key, prefix + field.getKey() + ".", null, out);
            } else if (field.getValue().isArray()) {
                // A list's entries by their id (a step's variants), none for an empty list.
                for (JsonNode entry : field.getValue()) {
                    leaves(entry, key, prefix + field.getKey() + "." + entry.path("id").asText() + ".", "id", out);
                }
            } else {
                out.put(key + prefix + field.getKey(), text(field.getValue()));
            }
        }
    }

    private static String text(JsonNode value) {
        return value.isNull() ? "" : value.asText();
    }

    /** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks. */
    private static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                cell.append(c);
            }
        }
        assertThat(cell).as("the CSV ends with a line break").isEmpty();
        return rows;
    }
}
