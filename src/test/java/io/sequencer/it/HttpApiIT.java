package io.sequencer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.testing.LocalHostFixture;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP functions as a client sees them through the local host: status codes, bodies, problems, keys. */
class HttpApiIT {
    private static final String VALID = """
            {"name":"Welcome","steps":[{"id":"hello","delay":{"amount":1,"unit":"hours"},"message":{"text":"Hi"}}],
             "channel":{"type":"webhook","url":"http://127.0.0.1:9/hook"}}""";
    private static LocalHostFixture host;

    @BeforeAll
    static void start() {
        host = LocalHostFixture.start();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    private static String accountPath() {
        return "/api/accounts/api-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.read(response.body());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).isNotBlank();
        if (field != null) {
            assertThat(problem.path("field").asText()).isEqualTo(field);
        }
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void health_answers_ok_without_a_key() {
        HttpResponse<String> response = host.call("GET", "/api/health", null, Map.of());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("status").asText()).isEqualTo("ok");
    }

    @Test
    void every_other_function_needs_the_function_key_in_a_header_or_the_code_parameter() {
        String path = accountPath() + "/sequences";
        assertThat(host.call("GET", path, null, Map.of()).statusCode()).isEqualTo(401);
        assertThat(host.call("GET", path, null, Map.of("x-functions-key", "wrong")).statusCode()).isEqualTo(401);
        assertThat(host.call("GET", path + "?code=wrong", null, Map.of()).statusCode()).isEqualTo(401);
        assertThat(host.call("GET", path + "?code=" + LocalHostFixture.FUNCTION_KEY, null, Map.of()).statusCode()).isEqualTo(200);
        assertThat(host.call("GET", path, null).statusCode()).isEqualTo(200);
        assertThat(host.call("PUT", path + "/x", VALID, Map.of()).statusCode()).isEqualTo(401);
    }

    @Test
    void put_creates_then_replaces_with_a_rising_version_and_get_and_list_show_it() {
        String base = accountPath();
        HttpResponse<String> created = host.call("PUT", base + "/sequences/welcome", VALID);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(json(created).path("version").asInt()).isEqualTo(1);

        HttpResponse<String> same = host.call("PUT", base + "/sequences/welcome", VALID);
        assertThat(same.statusCode()).isEqualTo(200);
        assertThat(json(same).path("version").asInt()).isEqualTo(1);

        HttpResponse<String> replaced = host.call("PUT", base + "/sequences/welcome", VALID.replace("\"Hi\"", "\"Hello\""));
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(json(replaced).path("version").asInt()).isEqualTo(2);

        JsonNode read = json(host.call("GET", base + "/sequences/welcome", null));
        assertThat(read.path("steps").get(0).path("message").path("text").asText()).isEqualTo("Hello");
        assertThat(read.path("version").asInt()).isEqualTo(2);

        host.call("PUT", base + "/sequences/another", VALID);
        JsonNode list = json(host.call("GET", base + "/sequences", null));
        assertThat(list.path("sequences")).extracting(n -> n.path("id").asText()).containsExactly("another", "welcome");
    }

    @Test
    void a_get_body_sent_back_as_a_put_is_accepted() {
        String base = accountPath();
        String stored = host.call("PUT", base + "/sequences/welcome", VALID).body();
        assertThat(host.call("PUT", base + "/sequences/welcome", stored).statusCode()).isEqualTo(200);
    }

    @Test
    void enrolling_answers_201_then_200_and_get_and_delete_show_the_state() {
        String base = accountPath() + "/sequences/welcome";
        host.call("PUT", base, VALID);
        HttpResponse<String> first = host.call("PUT", base + "/subscribers/psid-1", null);
        assertThat(first.statusCode()).isEqualTo(201);
        JsonNode enrollment = json(first);
        assertThat(enrollment.path("subscriberId").asText()).isEqualTo("psid-1");
        assertThat(enrollment.path("status").asText()).isEqualTo("active");
        assertThat(enrollment.path("nextStepId").asText()).isEqualTo("hello");
        assertThat(enrollment.path("nextDueAt").asText()).isNotBlank();
        assertThat(enrollment.path("epoch").asInt()).isEqualTo(1);

        HttpResponse<String> again = host.call("PUT", base + "/subscribers/psid-1", "{}");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).path("epoch").asInt()).isEqualTo(1);

        assertThat(json(host.call("GET", base + "/subscribers/psid-1", null)).path("stepsSent").asInt()).isZero();
        HttpResponse<String> left = host.call("DELETE", base + "/subscribers/psid-1", null);
        assertThat(left.statusCode()).isEqualTo(200);
        assertThat(json(left).path("status").asText()).isEqualTo("left");
        assertThat(json(left).path("nextStepId").isNull()).isTrue();
        HttpResponse<String> refused = host.call("PUT", base + "/subscribers/psid-1", null);
        assertThat(refused.statusCode()).as("re-entry is never by default").isEqualTo(409);
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        host.call("PUT", base, VALID.replace("{\"name\"", "{\"reentry\":\"after_completion\",\"name\""));
        assertThat(json(host.call("PUT", base + "/subscribers/psid-1", null)).path("epoch").asInt()).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            GET    | /sequences/missing                      | 404 |
            GET    | /sequences/missing/subscribers/u1       | 404 |
            DELETE | /sequences/missing/subscribers/u1       | 404 |
            PUT    | /sequences/missing/subscribers/u1       | 404 |
            GET    | /sequences/bad%23id                     | 400 | sequenceId
            GET    | /sequences/x/subscribers/a%3Fb          | 400 | subscriberId
            GET    | /sequences/%27%20or%20true              | 400 | sequenceId
            """)
    void unknown_things_are_404_and_bad_ids_are_400(String method, String path, int status, String field) {
        assertProblem(host.call(method, accountPath() + path, null), status, field);
    }

    @Test
    void an_account_id_with_bad_characters_is_400() {
        assertProblem(host.call("GET", "/api/accounts/acme%2Fother/sequences", null), 400, "account");
        assertProblem(host.call("GET", "/api/accounts/" + "a".repeat(129) + "/sequences", null), 400, "account");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed JSON     | {"name":                                                        | body
            empty body         |                                                                 | body
            unknown unit       | {"name":"n","steps":[{"id":"a","delay":{"amount":1,"unit":"weeks"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}} | steps[0].delay.unit
            negative amount    | {"name":"n","steps":[{"id":"a","delay":{"amount":-1,"unit":"days"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}} | steps[0].delay.amount
            duplicate step ids | {"name":"n","steps":[{"id":"a","delay":{"amount":1,"unit":"days"},"message":{}},{"id":"a","delay":{"amount":1,"unit":"days"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}} | steps[1].id
            empty steps        | {"name":"n","steps":[],"channel":{"type":"webhook","url":"http://h/x"}} | steps
            bad step id        | {"name":"n","steps":[{"id":"a b","delay":{"amount":1,"unit":"days"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}} | steps[0].id
            undefined secret   | {"name":"n","steps":[{"id":"a","delay":{"amount":1,"unit":"days"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x","secretSetting":"NOT_DEFINED"}} | channel.secretSetting
            """)
    void bad_definitions_are_400_problems_naming_the_field_and_store_nothing(String why, String body, String field) {
        String path = accountPath() + "/sequences/welcome";
        assertProblem(host.call("PUT", path, body), 400, field);
        assertThat(host.call("GET", path, null).statusCode()).isEqualTo(404);
    }

    @Test
    void an_enroll_body_with_unknown_fields_is_refused_and_enrolls_nobody() {
        String path = accountPath() + "/sequences/welcome";
        host.call("PUT", path, VALID);
        assertProblem(host.call("PUT", path + "/subscribers/u1", "{\"timezon\":\"UTC\"}"), 400, "timezon");
        assertProblem(host.call("PUT", path + "/subscribers/u1", "[]"), 400, "body");
        assertThat(host.call("GET", path + "/subscribers/u1", null).statusCode()).isEqualTo(404);
    }

    /**
     * The Functions host hands a body to the worker only when the request has a Content-Length (its gRPC conversion
     * checks {@code ContentLength > 0}); a chunked body arrives as none, so the app says what to send instead.
     */
    @Test
    void a_chunked_body_reaches_the_app_as_none_and_is_refused_with_a_hint() throws Exception {
        String path = accountPath() + "/sequences/welcome";
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(host.baseUrl() + path))
                .header("x-functions-key", LocalHostFixture.FUNCTION_KEY).header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(VALID.getBytes(StandardCharsets.UTF_8))))
                .build();

        HttpResponse<String> refused = HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.ofString());

        assertProblem(refused, 400, "body");
        assertThat(json(refused).path("detail").asText()).contains("Content-Length");
        assertThat(host.call("GET", path, null).statusCode()).isEqualTo(404);
        assertThat(host.call("PUT", path, VALID).statusCode()).as("the same body with a length").isEqualTo(201);
    }

    @Test
    void a_body_over_256_kib_is_413() {
        String path = accountPath() + "/sequences/welcome";
        String huge = VALID.replace("\"Hi\"", "\"" + "x".repeat(300 * 1024) + "\"");
        assertProblem(host.call("PUT", path, huge), 413, null);
        assertThat(host.call("GET", path, null).statusCode()).isEqualTo(404);
    }

    @Test
    void accounts_cannot_see_each_others_sequences_or_enrollments() {
        String mine = accountPath();
        String theirs = accountPath();
        host.call("PUT", mine + "/sequences/welcome", VALID);
        host.call("PUT", mine + "/sequences/welcome/subscribers/u1", null);
        assertThat(host.call("GET", theirs + "/sequences/welcome", null).statusCode()).isEqualTo(404);
        assertThat(host.call("GET", theirs + "/sequences/welcome/subscribers/u1", null).statusCode()).isEqualTo(404);
        assertThat(host.call("PUT", theirs + "/sequences/welcome/subscribers/u1", null).statusCode()).isEqualTo(404);
        assertThat(json(host.call("GET", theirs + "/sequences", null)).path("sequences")).isEmpty();
    }

    @Test
    void an_unknown_route_or_method_is_404() {
        assertThat(host.call("GET", "/api/nothing-here", null).statusCode()).isEqualTo(404);
        assertThat(host.call("POST", accountPath() + "/sequences/welcome", VALID).statusCode()).isEqualTo(404);
    }
}
