package io.sequencer.adapters.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.messenger.MessengerChannel;
import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.sendgrid.SendGridChannel;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.channel.webhook.WebhookChannel;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.notification.Notice;
import io.sequencer.domain.notification.NoticeType;
import io.sequencer.domain.notification.NotificationSettings;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;
import io.sequencer.testing.SteppingClock;
import io.sequencer.testing.TestAppSettings;
import io.sequencer.testing.TestGuards;
import java.net.URI;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A secret setting holding a line break or a non-ASCII character fails the send once, for good, with a detail
 * that names the setting and does not quote the value; nothing reaches the destination. Before, OkHttp threw
 * building the header (page token, API key) and every retry threw again until the tick was poisoned, or the
 * webhook was signed with a key no host could reproduce.
 */
class UnusableSecretSettingTest {
    private static final String VALUE_MARK = "Zq7";
    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final MockWebServer server = new MockWebServer();
    private final EnrollmentKey key = new EnrollmentKey("acme", "welcome", "6543210");
    private final Delivery delivery = new Delivery(new DeliveryId("dlv_00112233445566778899aabbccddeeff"), key, "tips",
            "{\"text\":\"Hi\"}", Instant.parse("2026-03-01T08:59:58Z"), 1, Optional.empty(), Optional.of("ada@example.com"));

    @BeforeEach
    void start() throws Exception {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Function<String, String> only(String name, String value) {
        return TestAppSettings.of(name, value)::get;
    }

    private SendResult webhook(Function<String, String> settings) {
        return new WebhookChannel(HttpClients.shared(TestGuards.loopbackAllowed()), settings, clock).send(
                new WebhookConfig(URI.create(server.url("/hook").toString()), Optional.of("SEQ_ACME__HOOK_SECRET")), delivery);
    }

    private SendResult notification(Function<String, String> settings) {
        Instant at = clock.instant();
        NotificationSettings target = new NotificationSettings("acme", URI.create(server.url("/notices").toString()),
                Optional.of("SEQ_ACME__HOOK_SECRET"), EnumSet.allOf(NoticeType.class), at, at, Optional.empty(), Optional.empty(),
                Optional.empty());
        Notice notice = new Notice(1, Notice.eventIdOf(key, 1), NoticeType.ENROLLMENT_STARTED, at, 1, Optional.empty(),
                Optional.empty(), Optional.empty());
        return new NotificationWebhook(HttpClients.shared(TestGuards.loopbackAllowed()), settings, clock).send(target, List.of(Map.entry(key, notice)));
    }

    private SendResult messenger(Function<String, String> settings) {
        return new MessengerChannel(HttpClients.shared(TestGuards.loopbackAllowed()), settings, server.url("/").toString(), clock)
                .send(new MessengerConfig("1234", "SEQ_ACME__PAGE_TOKEN", "21.0"), delivery);
    }

    private SendResult sendGrid(Function<String, String> settings) {
        return new SendGridChannel(HttpClients.shared(TestGuards.loopbackAllowed()), settings, server.url("/").toString(), clock)
                .send(new SendGridConfig("SEQ_ACME__SENDGRID_KEY", "news@acme.example", Optional.empty()), delivery);
    }

    private void assertRefusedNaming(SendResult result, String setting, String value) {
        assertThat(result).isInstanceOfSatisfying(SendResult.PermanentFailure.class, f -> assertThat(f.reason())
                .contains("setting " + setting + " ").doesNotContain(VALUE_MARK).doesNotContain(value.strip()));
        assertThat(server.getRequestCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab\nZq7", "ab\r\nZq7", "Zq7-s\u00e9cret", "Zq7-\u2028", "Zq7\n", "whsec_Zq7*notbase64"})
    void a_webhook_secret_no_host_could_verify_fails_the_step_once(String value) {
        assertRefusedNaming(webhook(only("SEQ_ACME__HOOK_SECRET", value)), "SEQ_ACME__HOOK_SECRET", value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab\nZq7", "Zq7-s\u00e9cret", "whsec_Zq7 notbase64"})
    void a_notification_secret_no_host_could_verify_fails_the_batch_permanently(String value) {
        assertRefusedNaming(notification(only("SEQ_ACME__HOOK_SECRET", value)), "SEQ_ACME__HOOK_SECRET", value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab\nZq7", "Zq7-s\u00e9cret", "Zq7\u0000"})
    void a_previous_secret_that_is_unusable_is_named_as_such(String value) {
        SendResult result = webhook(TestAppSettings.of("SEQ_ACME__HOOK_SECRET", "fine-secret", "SEQ_ACME__HOOK_SECRET_PREVIOUS", value)::get);
        assertRefusedNaming(result, "SEQ_ACME__HOOK_SECRET_PREVIOUS", value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"EAAG\nZq7", "EAAG\r\nZq7", "EAAG-t\u00f6ken-Zq7", "EAAG Zq7", "EAAG\u0007Zq7"})
    void a_page_token_no_header_can_carry_fails_the_step_once(String value) {
        assertRefusedNaming(messenger(only("SEQ_ACME__PAGE_TOKEN", value)), "SEQ_ACME__PAGE_TOKEN", value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SG.a\nZq7", "SG.k\u00e9y-Zq7", "SG.a Zq7"})
    void an_api_key_no_header_can_carry_fails_the_step_once(String value) {
        assertRefusedNaming(sendGrid(only("SEQ_ACME__SENDGRID_KEY", value)), "SEQ_ACME__SENDGRID_KEY", value);
    }

    @Test
    void a_page_token_pasted_with_a_trailing_newline_is_sent_without_it() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body("{\"message_id\":\"m.1\"}").build());
        assertThat(messenger(only("SEQ_ACME__PAGE_TOKEN", "EAAGtoken\n"))).isInstanceOf(SendResult.Sent.class);
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization")).isEqualTo("Bearer EAAGtoken");
    }
}
