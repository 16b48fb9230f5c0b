package io.sequencer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.testing.LocalHostFixture;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Marketing Messages opt-ins over HTTP on the local host and Azurite: the webhook's {@code optin} object is taken as
 * an event, a repeat changes nothing, a bad field rejects its entry with a 400 problem naming it, and the timeline never shows the token.
 * (The sends themselves, which need the 24-hour window to close, are covered on a stepping clock by
 * MarketingMessagesOnStorageTest.)
 */
class OptInEventsIT {
    private static final String TOKEN = "6830154821917340000-it-optin";
    private static LocalHostFixture host;

    @BeforeAll
    static void start() {
        host = LocalHostFixture.start();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    @Test
    void an_opt_in_and_its_stop_are_applied_once_and_the_timeline_shows_no_token() {
        String base = "/api/accounts/optin-" + UUID.randomUUID().toString().substring(0, 8);
        String optin = """
                {"subscriberId":"ann","type":"optin","at":"2026-03-01T09:00:00Z",
                 "optin":{"type":"notification_messages","notification_messages_token":"%s",
                          "notification_messages_frequency":"WEEKLY","token_expiry_timestamp":1798761600000,
                          "user_token_status":"NOT_REFRESHED"}}""".formatted(TOKEN);
        HttpResponse<String> first = host.call("POST", base + "/events", optin);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(Json.read(first.body()).path("results").get(0).path("status").asText()).isEqualTo("applied");
        assertThat(Json.read(host.call("POST", base + "/events", optin).body()).path("results").get(0)
                .path("status").asText()).isEqualTo("unchanged");

        String stop = """
                {"subscriberId":"ann","type":"optin","at":"2026-03-02T09:00:00Z",
                 "optin":{"notification_messages_token":"%s","notification_messages_status":"STOP_NOTIFICATIONS"}}"""
                .formatted(TOKEN);
        assertThat(Json.read(host.call("POST", base + "/events", stop).body()).path("results").get(0)
                .path("status").asText()).isEqualTo("applied");

        HttpResponse<String> timeline = host.call("GET", base + "/subscribers/ann/timeline", null);
        assertThat(timeline.statusCode()).as(timeline.body()).isEqualTo(200);
        assertThat(timeline.body()).doesNotContain(TOKEN);
        JsonNode entries = Json.read(timeline.body()).path("entries");
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).path("event").path("optin").path("status").asText()).isEqualTo("stop_notifications");
        assertThat(entries.get(1).path("event").path("optin").path("frequency").asText()).isEqualTo("WEEKLY");
        assertThat(host.call("GET", base + "/subscribers/ann", null).body()).doesNotContain(TOKEN);
    }

    @Test
    void a_bad_opt_in_is_rejected_with_a_400_problem_naming_the_field_and_the_others_still_count() {
        HttpResponse<String> answer = host.call("POST", "/api/accounts/optin-bad/events", """
                [{"subscriberId":"ann","type":"optin","optin":{"notification_messages_token":"t",
                  "token_expiry_timestamp":1798761600}},
                 {"subscriberId":"ann","type":"interacted"}]""");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode results = Json.read(answer.body()).path("results");
        assertThat(results.get(0).path("status").asText()).isEqualTo("rejected");
        assertThat(results.get(0).path("problem").path("status").asInt()).isEqualTo(400);
        assertThat(results.get(0).path("problem").path("field").asText())
                .isEqualTo("[0].optin.token_expiry_timestamp");
        assertThat(results.get(1).path("status").asText()).isEqualTo("applied");
    }
}
