package io.sequencer.it;

import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.LocalHostFixture;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Account secrets through the HTTP API on the local host and Azurite: set, replace, list (never a value), delete
 * (refused while used), named by a webhook sequence whose deliveries the receiver verifies with the value, and
 * out of reach of another account.
 */
class AccountSecretsIT {
    private static final String VALUE = "it-account-secret-Zq8vX1";
    private static LocalHostFixture host;
    private static WebhookSink sink;

    @BeforeAll
    static void start() throws Exception {
        host = LocalHostFixture.start(); // with a key file of its own, as every host the fixture starts
        sink = new WebhookSink(VALUE);
    }

    @AfterAll
    static void stop() {
        sink.close();
        host.close();
    }

    private static String account() {
        return "sec-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String secretBody(String value) {
        return Json.write(Json.object().put("value", value));
    }

    private static String webhookSequence(String url, String secret) {
        return """
                {"name":"Signed","steps":[{"id":"one","delay":{"amount":0,"unit":"seconds"},"message":{"text":"hi"}}],
                 "channel":{"type":"webhook","url":"%s","secret":"%s"}}""".formatted(url, secret);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        if (field != null) {
            assertThat(Json.read(response.body()).path("field").asText()).isEqualTo(field);
        }
    }

    @Test
    void a_secret_is_created_replaced_and_listed_without_its_value() {
        String account = account();
        String path = "/api/accounts/" + account + "/secrets/hook";
        HttpResponse<String> created = host.call("PUT", path, secretBody(VALUE));
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode first = Json.read(created.body());
        assertThat(first.path("name").asText()).isEqualTo("hook");
        assertThat(first.path("fingerprint").asText()).matches("[0-9a-f]{8}");

        HttpResponse<String> replaced = host.call("PUT", path,
                Json.write(Json.object().put("value", VALUE + "-2").put("keepPrevious", "PT48H")));
        assertThat(replaced.statusCode()).isEqualTo(200);
        JsonNode second = Json.read(replaced.body());
        assertThat(second.path("fingerprint").asText()).isNotEqualTo(first.path("fingerprint").asText());
        assertThat(second.path("createdAt").asText()).isEqualTo(first.path("createdAt").asText());
        assertThat(second.path("previousUntil").asText()).isNotEmpty();

        HttpResponse<String> listed = host.call("GET", "/api/accounts/" + account + "/secrets", null);
        assertThat(listed.statusCode()).isEqualTo(200);
        JsonNode secrets = Json.read(listed.body()).path("secrets");
        assertThat(secrets).hasSize(1);
        assertThat(secrets.get(0).path("name").asText()).isEqualTo("hook");
        assertThat(secrets.get(0).path("fingerprint").asText()).isEqualTo(second.path("fingerprint").asText());
        for (HttpResponse<String> r : List.of(created, replaced, listed)) {
            assertThat(r.body()).doesNotContain(VALUE).doesNotContain("Zq8vX1");
        }
        assertThat(Json.read(host.call("GET", "/api/accounts/" + account() + "/secrets", null).body())
                .path("secrets")).as("another account sees none").isEmpty();
    }

    @Test
    void bad_names_values_and_keep_times_are_problems_naming_the_field_and_never_quoting_the_value() {
        String base = "/api/accounts/" + account() + "/secrets/";
        assertProblem(host.call("PUT", base + "bad%20name", secretBody(VALUE)), 400, "name");
        assertProblem(host.call("PUT", base + ("n".repeat(129)), secretBody(VALUE)), 400, "name");
        assertProblem(host.call("PUT", base + "hook", secretBody("")), 400, "value");
        assertProblem(host.call("PUT", base + "hook", "{\"value\":42}"), 400, "value");
        assertProblem(host.call("PUT", base + "hook", secretBody("x".repeat(8193))), 400, "value");
        assertProblem(host.call("PUT", base + "hook",
                Json.write(Json.object().put("value", VALUE).put("keepPrevious", "P31D"))), 400, "keepPrevious");
        assertProblem(host.call("PUT", base + "hook",
                Json.write(Json.object().put("value", VALUE).put("keepPrevious", "two days"))), 400, "keepPrevious");
        assertProblem(host.call("PUT", base + "hook",
                Json.write(Json.object().put("value", VALUE).put("other", 1))), 400, "body");
        assertProblem(host.call("PUT", base + "hook", "x".repeat(300 * 1024)), 413, null);
        HttpResponse<String> broken = host.call("PUT", base + "hook", "{\"value\": " + VALUE + "}");
        assertProblem(broken, 400, "body");
        assertThat(broken.body()).doesNotContain(VALUE).doesNotContain("Zq8vX1");
    }

    @Test
    void a_webhook_sequence_naming_the_secret_delivers_signed_with_its_value_and_holds_it_against_delete()
            throws Exception {
        String account = account();
        assertThat(host.call("PUT", "/api/accounts/" + account + "/secrets/hook", secretBody(VALUE)).statusCode())
                .isEqualTo(201);
        String sequence = "/api/accounts/" + account + "/sequences/signed";
        assertThat(host.call("PUT", sequence, webhookSequence(sink.url(), "hook")).statusCode()).isEqualTo(201);
        assertThat(host.call("GET", sequence, null).body()).contains("\"secret\":\"hook\"").doesNotContain(VALUE);
        assertThat(host.call("PUT", sequence + "/subscribers/ann", null).statusCode()).isEqualTo(201);
        await(() -> received(account).size() == 1, Duration.ofSeconds(60));
        assertThat(received(account).get(0).signatureValid()).as("verified with the secret's value").isTrue();

        HttpResponse<String> inUse = host.call("DELETE", "/api/accounts/" + account + "/secrets/hook", null);
        assertProblem(inUse, 409, "name");
        assertThat(inUse.body()).contains("sequence signed").doesNotContain(VALUE);
        assertProblem(host.call("DELETE", "/api/accounts/" + account + "/secrets/never-made", null), 404, null);
    }

    @Test
    void an_unused_secret_is_deleted_and_then_unknown() {
        String account = account();
        String path = "/api/accounts/" + account + "/secrets/spare";
        assertThat(host.call("PUT", path, secretBody(VALUE)).statusCode()).isEqualTo(201);
        assertThat(host.call("DELETE", path, null).statusCode()).isEqualTo(204);
        assertProblem(host.call("DELETE", path, null), 404, null);
        assertThat(Json.read(host.call("GET", "/api/accounts/" + account + "/secrets", null).body()).path("secrets"))
                .isEmpty();
    }

    @Test
    void an_intruder_cannot_name_another_accounts_secret_and_learns_nothing_from_the_answer() {
        String victim = account();
        String intruder = account();
        assertThat(host.call("PUT", "/api/accounts/" + victim + "/secrets/acme-page", secretBody(VALUE)).statusCode())
                .isEqualTo(201);
        String path = "/api/accounts/" + intruder + "/sequences/steal";
        HttpResponse<String> existsElsewhere = host.call("PUT", path, webhookSequence(sink.url(), "acme-page"));
        HttpResponse<String> existsNowhere = host.call("PUT", path, webhookSequence(sink.url(), "acme-pagf"));
        assertProblem(existsElsewhere, 400, "channel.secret");
        assertProblem(existsNowhere, 400, "channel.secret");
        assertThat(Json.read(existsElsewhere.body()).path("detail").asText().replace("acme-page", "NAME"))
                .isEqualTo(Json.read(existsNowhere.body()).path("detail").asText().replace("acme-pagf", "NAME"));

        String messenger = """
                {"name":"m","steps":[{"id":"one","delay":{"amount":0,"unit":"seconds"},"message":{"text":"hi"}}],
                 "channel":{"type":"messenger","pageId":"1234","pageToken":"acme-page"}}""";
        assertProblem(host.call("PUT", path, messenger), 400, "channel.pageToken");
        String notifications = Json.write(Json.object().put("url", sink.url()).put("secret", "acme-page"));
        assertProblem(host.call("PUT", "/api/accounts/" + intruder + "/notifications", notifications), 400, "secret");
        assertProblem(host.call("DELETE", "/api/accounts/" + intruder + "/secrets/acme-page", null), 404, null);
        assertThat(host.call("GET", "/api/accounts/" + intruder + "/secrets", null).body()).doesNotContain("acme-page");
    }

    private static List<WebhookSink.Received> received(String account) {
        return sink.received().stream().filter(r -> r.payload().path("account").asText().equals(account)).toList();
    }
}
