package io.sequencer.it;

import io.sequencer.functions.Settings;
import static io.sequencer.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.functions.FunctionApp;
import io.sequencer.local.WebhookSink;
import io.sequencer.testing.LocalHostFixture;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An intruder account cannot make the app reach inside the platform: with loopback not allowed (as deployed),
 * every private address form is refused when a URL is defined, on each of the three URL fields, with one answer
 * that names the field and nothing else; and a URL stored while loopback was allowed is refused when the send
 * connects, with a detail that names the class of the failure only.
 */
class OutboundAddressIT {
    private static final String INTRUDER = "intruder-acct";
    private static final String REFUSAL = "must be a public http or https address";
    /** The forms of issue 19, spelled as an intruder would; none needs a DNS answer. */
    static final List<String> PRIVATE_HOSTS = List.of("169.254.169.254", "10.0.0.5:8080", "172.16.0.1", "192.168.1.1",
            "100.64.0.1", "127.0.0.1", "127.0.0.2:8080", "[::1]", "[fe80::1]", "[fc00::1]", "[fd12:3456::1]", "0.0.0.0",
            "[::]", "224.0.0.1", "[ff02::1]", "255.255.255.255", "240.0.0.1", "[::ffff:127.0.0.1]",
            "[::ffff:169.254.169.254]", "[::ffff:a9fe:a9fe]", "[::ffff:10.0.0.5]", "[::127.0.0.1]",
            "[64:ff9b::a9fe:a9fe]", "[2002:a9fe:a9fe::]", "2130706433", "0x7f000001", "0177.0.0.1", "0xa9fea9fe",
            "2852039166", "012.0.0.5", "localhost", "localhost:7071", "api.localhost", "LOCALHOST.");
    /** Spellings that java.net.URI does not take for a host at all: refused as malformed before any address check. */
    static final List<String> MALFORMED_HOSTS = List.of("0251.0376.0251.0376", "127.1", "0x7f.1", "192.168.0.1.");

    private static LocalHostFixture deployedLike() {
        return LocalHostFixture.start(Map.of(Settings.ALLOW_LOOPBACK, "false"), hostJson -> { });
    }

    /** A first step due at once. */
    private static String sequence(String url) {
        return sequence(url, "seconds");
    }

    /** A first step a day away: should a refusal regress, nothing is sent inside the platform during the test. */
    private static String later(String url) {
        return sequence(url, "days");
    }

    private static String sequence(String url, String unit) {
        return """
                {"name":"Scan","steps":[{"id":"one","delay":{"amount":1,"unit":"%s"},"message":{"text":"x"}}],
                 "channel":{"type":"webhook","url":"%s"}}""".formatted(unit, url);
    }

    private static void assertRefusedAt(HttpResponse<String> response, String field, String url, Set<String> bodies) {
        assertThat(response.statusCode()).as(url).isEqualTo(400);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = Json.read(response.body());
        assertThat(problem.path("field").asText()).as(url).isEqualTo(field);
        assertThat(problem.path("errors")).hasSize(1);
        assertThat(problem.path("errors").get(0).path("reason").asText()).as(url).isEqualTo(REFUSAL);
        ((com.fasterxml.jackson.databind.node.ObjectNode) problem).remove("instance"); // the request's own path
        bodies.add(problem.toString());
    }

    @Test
    void every_private_address_form_is_refused_on_every_url_field_with_one_answer() {
        try (LocalHostFixture host = deployedLike()) {
            Set<String> bodies = new HashSet<>();
            int i = 0;
            for (String h : PRIVATE_HOSTS) {
                for (String scheme : List.of("http://", "https://")) {
                    String url = scheme + h + "/hook";
                    i++;
                    assertRefusedAt(host.call("PUT", "/api/accounts/" + INTRUDER + "/sequences/scan-" + i, later(url)),
                            "channel.url", url, bodies);
                    assertRefusedAt(host.call("PUT", "/api/accounts/" + INTRUDER + "/broadcasts/scan-" + i, """
                            {"sendAt":"2030-01-01T00:00:00Z","channel":{"type":"webhook","url":"%s"},
                             "message":{"text":"x"},"audience":{"everyone":true}}""".formatted(url)),
                            "channel.url", url, bodies);
                    assertRefusedAt(host.call("PUT", "/api/accounts/" + INTRUDER + "/notifications",
                            "{\"url\":\"" + url + "\"}"), "url", url, bodies);
                }
            }
            // One answer per field, the same for every form: nothing tells one address (or name) from another.
            assertThat(bodies).hasSize(2);
            for (String h : MALFORMED_HOSTS) {
                HttpResponse<String> response = host.call("PUT", "/api/accounts/" + INTRUDER + "/sequences/bad",
                        later("http://" + h + "/hook"));
                assertThat(response.statusCode()).as(h).isEqualTo(400);
                assertThat(Json.read(response.body()).path("field").asText()).as(h).isEqualTo("channel.url");
            }
            assertThat(host.call("GET", "/api/accounts/" + INTRUDER + "/sequences", null).body()).doesNotContain("scan-");
        }
    }

    @Test
    void a_url_stored_while_loopback_was_allowed_is_refused_when_the_send_connects() throws Exception {
        String path = "/api/accounts/" + INTRUDER + "/sequences/stored";
        try (WebhookSink sink = new WebhookSink(LocalHostFixture.HOOK_SECRET)) {
            try (LocalHostFixture allowing = LocalHostFixture.start()) {
                assertThat(allowing.call("PUT", path, sequence(sink.url())).statusCode()).isIn(200, 201);
            }
            try (LocalHostFixture host = deployedLike()) {
                assertThat(host.call("PUT", path + "/subscribers/s1", null).statusCode()).isEqualTo(201);
                await(() -> Json.read(host.call("GET", path + "/subscribers/s1", null).body()).path("steps").size() == 1,
                        Duration.ofSeconds(20));
                JsonNode step = Json.read(host.call("GET", path + "/subscribers/s1", null).body()).path("steps").get(0);
                assertThat(step.path("detail").asText()).isEqualTo("webhook address not allowed");
                String timeline = host.call("GET", "/api/accounts/" + INTRUDER + "/subscribers/s1/timeline", null).body();
                assertThat(timeline).contains("webhook address not allowed").doesNotContain("127.0.0.1")
                        .doesNotContain("Exception");
                assertThat(sink.received()).isEmpty();
            }
        }
    }
}
