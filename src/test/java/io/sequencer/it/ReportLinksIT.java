package io.sequencer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.report.ReportLinkTokens;
import io.sequencer.domain.report.ReportRef;
import io.sequencer.testing.HeadlessChromium;
import io.sequencer.testing.LocalHostFixture;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Report links on the local host: a keyed caller gets a link, the link alone opens that report's page and CSV (in a
 * real browser too), and every misuse of a token gets the same 403, whatever went wrong.
 */
class ReportLinksIT {
    private static final String ACCOUNT = "links-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String OTHER = ACCOUNT + "-other";
    private static final String SEQUENCE = "/api/accounts/" + ACCOUNT + "/sequences/promo";
    private static final String BROADCAST = "/api/accounts/" + ACCOUNT + "/broadcasts/sale";
    private static final Map<String, String> NO_KEY = Map.of();
    /** One send time for the whole class: each test's host defines the same broadcast again, unchanged. */
    private static final Instant SALE_AT = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
    private static final Pattern TOKEN = Pattern.compile("token=([A-Za-z0-9_-]+)");
    private LocalHostFixture host;

    @BeforeEach
    void start() {
        host = LocalHostFixture.start();
        for (String account : List.of(ACCOUNT, OTHER)) {
            int status = host.call("PUT", "/api/accounts/" + account + "/sequences/promo", """
                    {"name":"Promo of %s","steps":[{"id":"one","delay":{"amount":1,"unit":"days"},"message":{"text":"hi"}}],
                     "channel":{"type":"webhook","url":"http://127.0.0.1:9/hook","secretSetting":"%s"}}"""
                    .formatted(account, LocalHostFixture.hookSecretSetting(account))).statusCode();
            assertThat(status).isIn(200, 201);
        }
        int status = host.call("PUT", BROADCAST, """
                {"sendAt":"%s","channel":{"type":"webhook","url":"http://127.0.0.1:9/hook","secretSetting":"%s"},
                 "message":{"text":"Sale"},"audience":{"subscribers":["s1"]}}"""
                .formatted(SALE_AT, LocalHostFixture.hookSecretSetting(ACCOUNT))).statusCode();
        assertThat(status).isIn(200, 201);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void a_link_opens_its_report_page_and_csv_without_any_key_for_seven_days_by_default() {
        JsonNode link = link(SEQUENCE, null);
        String url = link.path("url").asText();
        assertThat(url).startsWith(host.baseUrl() + "/api/shared/report.html?token=").doesNotContain("code=");
        Instant expiresAt = Instant.parse(link.path("expiresAt").asText());
        assertThat(Duration.between(Instant.now(), expiresAt)).isBetween(Duration.ofDays(7).minusMinutes(1),
                Duration.ofDays(7).plusSeconds(1));

        HttpResponse<String> page = get(url);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(page.body()).contains("Promo of " + ACCOUNT).doesNotContain("Promo of " + OTHER)
                .doesNotContain(LocalHostFixture.FUNCTION_KEY).doesNotContain("code=");

        String csvHref = Pattern.compile("href=\"(report\\.csv\\?[^\"]+)\"").matcher(page.body()).results()
                .map(m -> m.group(1).replace("&amp;", "&")).findFirst().orElseThrow();
        assertThat(csvHref).contains("token=" + token(url));
        HttpResponse<String> csv = get(URI.create(url).resolve(csvHref).toString());
        assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(csv.body()).startsWith("section,step_id,day,metric,value").contains("Promo of " + ACCOUNT);
    }

    @Test
    void a_broadcast_link_opens_the_broadcast_report() {
        String url = link(BROADCAST, "{\"expiresIn\":\"PT2H\"}").path("url").asText();

        HttpResponse<String> page = get(url);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("Broadcast report").contains("<h1>sale</h1>");
        HttpResponse<String> csv = get(host.baseUrl() + "/api/shared/report.csv?token=" + token(url));
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body()).contains("audience");
    }

    @Test
    void the_linked_page_renders_in_a_real_browser_without_errors() {
        String url = link(SEQUENCE, null).path("url").asText();
        try (HeadlessChromium browser = HeadlessChromium.start(1280, 900)) {
            HeadlessChromium.Rendering rendering = browser.render(URI.create(url), Duration.ofSeconds(30), "svg", "a");
            assertThat(rendering.errors()).isEmpty();
            assertThat(rendering.elements("svg")).hasSize(2);
            assertThat(rendering.elements("a")).singleElement().extracting(HeadlessChromium.Element::outerHtml).asString()
                    .contains("report.csv?token=");
        }
    }

    @Test
    void every_misuse_of_a_token_gets_the_same_403_whatever_the_reason() {
        String token = token(link(SEQUENCE, null).path("url").asText());
        byte[] key = LocalHostFixture.REPORT_LINK_KEY.getBytes(StandardCharsets.UTF_8);
        ReportRef promo = new ReportRef(ReportRef.Kind.SEQUENCE, ACCOUNT, "promo");
        String expired = new ReportLinkTokens(key, Optional.empty()).issue(promo, Instant.now().minusSeconds(1));
        String otherKey = new ReportLinkTokens("x".repeat(40).getBytes(StandardCharsets.UTF_8), Optional.empty())
                .issue(promo, Instant.now().plusSeconds(3600));
        char last = token.charAt(token.length() - 1);
        List<String> refused = List.of("?token=" + tampered(token, 3), "?token=" + tampered(token, token.length() - 1),
                "?token=" + token.substring(0, token.length() - 1), "?token=" + token.substring(0, 20),
                "?token=" + token + (last == 'A' ? "B" : "A"), "?token=" + expired, "?token=" + otherKey,
                "?token=", "", "?code=" + LocalHostFixture.FUNCTION_KEY, "?token=%00", "?token=" + "A".repeat(5000));
        List<String> bodies = new ArrayList<>();
        for (String page : List.of("html", "csv")) {
            for (String query : refused) {
                HttpResponse<String> response = get(host.baseUrl() + "/api/shared/report." + page + query);
                assertThat(response.statusCode()).as(page + query).isEqualTo(403);
                assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
                bodies.add(page + " " + response.body());
            }
        }
        assertThat(bodies.stream().distinct()).as("one answer per route, whatever the reason").hasSize(2);
        assertThat(Json.read(bodies.get(0).substring(5)).path("detail").asText()).contains("not valid");
    }

    @Test
    void a_token_is_not_a_key_and_a_key_is_not_a_token() {
        String token = token(link(SEQUENCE, null).path("url").asText());

        assertThat(host.call("GET", SEQUENCE + "/report.html?code=" + token, null, NO_KEY).statusCode()).isEqualTo(401);
        assertThat(host.call("GET", SEQUENCE + "/report", null, Map.of("x-functions-key", token)).statusCode())
                .isEqualTo(401);
        assertThat(host.call("POST", SEQUENCE + "/report:link", null, NO_KEY).statusCode()).isEqualTo(401);
        assertThat(get(host.baseUrl() + "/api/shared/report.html?token=" + LocalHostFixture.FUNCTION_KEY).statusCode())
                .isEqualTo(403);
    }

    @Test
    void bad_requests_for_a_link_name_the_field() {
        for (String body : List.of("{\"expiresIn\":\"P91D\"}", "{\"expiresIn\":\"PT0S\"}", "{\"expiresIn\":\"-P1D\"}",
                "{\"expiresIn\":\"7 days\"}", "{\"expiresIn\":7}")) {
            assertProblem(host.call("POST", SEQUENCE + "/report:link", body), 400, "expiresIn");
        }
        assertProblem(host.call("POST", SEQUENCE + "/report:link", "{\"expires\":\"P1D\"}"), 400, "expires");
        assertProblem(host.call("POST", SEQUENCE + "/report:link", "[]"), 400, "body");
        assertProblem(host.call("POST", "/api/accounts/" + ACCOUNT + "/sequences/nope/report:link", null), 404, null);
        assertProblem(host.call("POST", "/api/accounts/" + ACCOUNT + "/broadcasts/nope/report:link", null), 404, null);
        assertProblem(host.call("POST", "/api/accounts/a%20b/sequences/promo/report:link", null), 400, "account");
        assertThat(Instant.parse(link(SEQUENCE, "{\"expiresIn\":\"P90D\"}").path("expiresAt").asText()))
                .isAfter(Instant.now().plus(Duration.ofDays(90)).minusSeconds(60));
    }

    @Test
    void rotating_the_key_revokes_every_link_unless_the_old_key_is_kept_as_previous() {
        String url = link(SEQUENCE, null).path("url").asText();
        String path = url.substring(host.baseUrl().length());
        String newKey = "rotated-report-link-key-0123456789abcdef";

        host.close();
        host = LocalHostFixture.start(Map.of("SEQUENCER_REPORT_LINK_KEY", newKey,
                "SEQUENCER_REPORT_LINK_KEY_PREVIOUS", LocalHostFixture.REPORT_LINK_KEY), hostJson -> { });
        assertThat(get(host.baseUrl() + path).statusCode()).as("during the rotation").isEqualTo(200);

        host.close();
        host = LocalHostFixture.start(Map.of("SEQUENCER_REPORT_LINK_KEY", newKey), hostJson -> { });
        assertThat(get(host.baseUrl() + path).statusCode()).as("after it").isEqualTo(403);
        assertThat(get(link(SEQUENCE, null).path("url").asText()).statusCode()).isEqualTo(200);
    }

    @Test
    void without_a_usable_key_no_link_is_issued_and_none_opens() {
        String url = link(SEQUENCE, null).path("url").asText();
        String path = url.substring(host.baseUrl().length());

        host.close();
        host = LocalHostFixture.start(Map.of("SEQUENCER_REPORT_LINK_KEY", "too-short"), hostJson -> { });
        assertProblem(host.call("POST", SEQUENCE + "/report:link", null), 503, null);
        assertThat(get(host.baseUrl() + path).statusCode()).isEqualTo(403);
    }

    @Test
    void a_configured_public_address_is_the_links_origin_and_forwarded_headers_are_ignored() {
        HttpResponse<String> forwarded = host.call("POST", SEQUENCE + "/report:link", null, Map.of(
                "x-functions-key", LocalHostFixture.FUNCTION_KEY, "X-Forwarded-Host", "evil.example",
                "Forwarded", "host=evil.example"));
        assertThat(Json.read(forwarded.body()).path("url").asText()).startsWith(host.baseUrl() + "/api/shared/");

        host.close();
        host = LocalHostFixture.start(Map.of("SEQUENCER_PUBLIC_BASE_URL", "https://reports.example.com/"), hostJson -> { });
        assertThat(link(SEQUENCE, null).path("url").asText())
                .startsWith("https://reports.example.com/api/shared/report.html?token=");
    }

    private JsonNode link(String report, String body) {
        HttpResponse<String> response = host.call("POST", report + "/report:link", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.read(response.body());
    }

    private HttpResponse<String> get(String url) {
        assertThat(url).startsWith(host.baseUrl());
        return host.call("GET", url.substring(host.baseUrl().length()), null, NO_KEY);
    }

    private static String token(String url) {
        Matcher matcher = TOKEN.matcher(url);
        assertThat(matcher.find()).as(url).isTrue();
        return matcher.group(1);
    }

    private static String tampered(String token, int at) {
        char c = token.charAt(at);
        return token.substring(0, at) + (c == 'a' ? 'b' : 'a') + token.substring(at + 1);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        if (field != null) {
            assertThat(Json.read(response.body()).path("field").asText()).isEqualTo(field);
        }
    }
}
