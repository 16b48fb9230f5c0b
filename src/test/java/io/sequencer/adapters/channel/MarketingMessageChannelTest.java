package io.sequencer.adapters.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.channel.messenger.MessengerChannel;
import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.DeliveryTarget;
import io.sequencer.engine.send.SendResult;
import io.sequencer.testing.SteppingClock;
import io.sequencer.testing.TestAppSettings;
import io.sequencer.testing.TestGuards;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A Messenger marketing message (outside the standard window, to the subscriber's opt-in token) as Graph's Send API
 * takes it, faked by MockWebServer: the request's recipient is the token, and each of Graph's answers has its class.
 */
class MarketingMessageChannelTest {
    private static final String PAGE_TOKEN = "EAAGpage-token-value-123";
    private static final String OPTIN_TOKEN = "6830154821917340000-optin-token";
    private static final MessengerConfig PAGE = new MessengerConfig("1234567890", "SEQ_ACME__PAGE_TOKEN", "21.0");
    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final MockWebServer server = new MockWebServer();
    private MessengerChannel channel;

    @BeforeEach
    void start() throws Exception {
        server.start();
        channel = new MessengerChannel(HttpClients.shared(TestGuards.loopbackAllowed()),
                TestAppSettings.of("SEQ_ACME__PAGE_TOKEN", PAGE_TOKEN)::get, server.url("/").toString(), clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Delivery marketing() {
        return new Delivery(new DeliveryId("dlv_00112233445566778899aabbccddeeff"),
                new DeliveryTarget.Step(new EnrollmentKey("acme", "welcome", "6543210"), "tips"),
                "{\"text\":\"Spring sale: 20% off\"}", Instant.parse("2026-03-01T08:59:58Z"), 1, Optional.empty(),
                Optional.empty(), Optional.of(OPTIN_TOKEN));
    }

    private static MockResponse graphError(int code, Integer subcode, String message) {
        String sub = subcode == null ? "" : ",\"error_subcode\":" + subcode;
        return new MockResponse.Builder().code(400).setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"" + message + "\",\"type\":\"OAuthException\",\"code\":" + code + sub
                        + ",\"fbtrace_id\":\"Abc\"}}").build();
    }

    @Test
    void a_marketing_message_goes_to_the_opt_in_token_without_a_messaging_type_or_tag() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body("{\"message_id\":\"m_mkt\"}").build());

        SendResult result = channel.send(PAGE, marketing());

        assertThat(result).isEqualTo(new SendResult.Sent("messenger m_mkt"));
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v21.0/me/messages");
        assertThat(request.getUrl().query()).isNull();
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + PAGE_TOKEN);
        JsonNode body = Json.read(request.getBody().utf8());
        assertThat(body.path("recipient")).isEqualTo(Json.read("{\"notification_messages_token\":\"" + OPTIN_TOKEN + "\"}"));
        assertThat(body.has("messaging_type")).isFalse();
        assertThat(body.has("tag")).isFalse();
        assertThat(body.path("message").path("text").asText()).isEqualTo("Spring sale: 20% off");
    }

    @ParameterizedTest(name = "graph {0}/{1} ({2}) -> {3}")
    @CsvSource(textBlock = """
            10,  2018278, This message is sent outside of allowed window,           token_refused
            10,  ,        Permissions error,                                        token_refused
            100, ,        Invalid parameter notification_messages_token,            token_refused
            100, 2018001, No matching user found,                                   gone
            100, ,        Invalid parameter message.attachment,                     permanent
            4,   2018354, There has to be a minimum delay between 2 notifications,  frequency
            9,   2018352, User is performing too many actions,                      transient
            4,   ,        Application request limit reached,                        transient
            551, ,        This person isn't available right now,                    gone
            190, ,        Invalid OAuth access token,                               page_token
            """)
    void every_graph_error_to_a_marketing_message_has_its_class(int code, Integer subcode, String message,
                                                              String expected) {
        server.enqueue(graphError(code, subcode, message + " " + OPTIN_TOKEN));

        SendResult result = channel.send(PAGE, marketing());

        switch (expected) {
            case "token_refused" -> assertThat(result).isInstanceOfSatisfying(SendResult.PermanentFailure.class, f -> {
                assertThat(f.tokenRefused()).isTrue();
                assertThat(f.reason()).startsWith("marketing_token_refused: graph error " + code);
            });
            case "frequency" -> assertThat(result).isInstanceOfSatisfying(SendResult.PermanentFailure.class, f -> {
                assertThat(f.tokenRefused()).isFalse();
                assertThat(f.reason()).startsWith("marketing_frequency_limit: graph error 4/2018354");
            });
            case "transient" -> assertThat(result).isInstanceOf(SendResult.TransientFailure.class);
            case "gone" -> assertThat(result).isInstanceOf(SendResult.RecipientGone.class);
            case "page_token" -> assertThat(result).isInstanceOfSatisfying(SendResult.PermanentFailure.class, f -> {
                assertThat(f.tokenRefused()).isFalse();
                assertThat(f.reason()).startsWith("page token rejected");
            });
            default -> assertThat(result).isInstanceOfSatisfying(SendResult.PermanentFailure.class,
                    f -> assertThat(f.tokenRefused()).isFalse());
        }
        assertThat(result.toString()).doesNotContain(OPTIN_TOKEN).doesNotContain(PAGE_TOKEN)
                .contains("graph error " + code);
    }

    @Test
    void a_step_outside_marketing_messages_never_names_a_token_recipient() throws Exception {
        server.enqueue(graphError(10, 2018278, "This message is sent outside of allowed window"));
        Delivery standard = new Delivery(marketing().deliveryId(), marketing().target(), marketing().message(),
                marketing().dueAt(), 1, Optional.empty(), Optional.empty());

        SendResult result = channel.send(PAGE, standard);

        assertThat(result).isInstanceOfSatisfying(SendResult.PermanentFailure.class, f -> {
            assertThat(f.tokenRefused()).isFalse();
            assertThat(f.reason()).startsWith("outside_messaging_window");
        });
        JsonNode body = Json.read(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        assertThat(body.path("recipient").path("id").asText()).isEqualTo("6543210");
    }
}
