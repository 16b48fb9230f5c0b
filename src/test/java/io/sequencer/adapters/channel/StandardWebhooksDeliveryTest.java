package io.sequencer.adapters.channel;

import static io.sequencer.adapters.channel.StandardWebhooksSpec.expectedSignature;
import static io.sequencer.adapters.channel.StandardWebhooksSpec.whsecKey;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a host receives on the wire: the Standard Webhooks headers beside {@code X-Sequencer-Signature} on step
 * webhooks and notifications, both signatures during a rotation, and a notification batch's id that a retry keeps.
 */
class StandardWebhooksDeliveryTest {
    private static final String WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String OLD = "old-plain-secret";
    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final MockWebServer server = new MockWebServer();
    private final Map<String, String> settings = new HashMap<>(TestAppSettings.of("SEQ_ACME__HOOK_SECRET", WHSEC));
    private final Delivery delivery = new Delivery(new DeliveryId("dlv_00112233445566778899aabbccddeeff"),
            new EnrollmentKey("acme", "welcome", "psid-42"), "tips", "{\"text\":\"Grüße\"}",
            Instant.parse("2026-03-01T08:59:58Z"), 1);
    private final EnrollmentKey key = new EnrollmentKey("acme", "welcome", "psid-42");

    @BeforeEach
    void start() throws Exception {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RecordedRequest sendStep(Optional<String> secretSetting) throws Exception {
        server.enqueue(new MockResponse.Builder().code(204).build());
        WebhookChannel channel = new WebhookChannel(HttpClients.shared(TestGuards.loopbackAllowed()), settings::get, clock);
        assertThat(channel.send(new WebhookConfig(URI.create(server.url("/hook").toString()), secretSetting), delivery))
                .isInstanceOf(SendResult.Sent.class);
        return server.takeRequest(5, TimeUnit.SECONDS);
    }

    private RecordedRequest sendNotices(List<Notice> notices) throws Exception {
        server.enqueue(new MockResponse.Builder().code(204).build());
        Instant at = clock.instant();
        NotificationSettings target = new NotificationSettings("acme", URI.create(server.url("/notices").toString()),
                Optional.of("SEQ_ACME__HOOK_SECRET"), EnumSet.allOf(NoticeType.class), at, at, Optional.empty(), Optional.empty(),
                Optional.empty());
        assertThat(new NotificationWebhook(HttpClients.shared(TestGuards.loopbackAllowed()), settings::get, clock)
                .send(target, notices.stream().map(n -> Map.entry(key, n)).toList())).isInstanceOf(SendResult.Sent.class);
        return server.takeRequest(5, TimeUnit.SECONDS);
    }

    private Notice notice(long sequence) {
        return new Notice(sequence, Notice.eventIdOf(key, sequence), NoticeType.STEP_SENT, clock.instant(), 1,
                Optional.of("tips"), Optional.of(delivery.deliveryId().value()), Optional.empty());
    }

    @Test
    void a_step_webhook_carries_the_delivery_id_the_time_and_a_v1_signature_keyed_with_the_decoded_whsec_secret()
            throws Exception {
        RecordedRequest request = sendStep(Optional.of("SEQ_ACME__HOOK_SECRET"));
        assertThat(request.getHeaders().get("webhook-id")).isEqualTo(delivery.deliveryId().value());
        assertThat(request.getHeaders().get("webhook-timestamp")).isEqualTo("1772355600");
        assertThat(request.getHeaders().get("webhook-signature")).isEqualTo(expectedSignature(whsecKey(WHSEC), request));
        // The older header stays, keyed on the setting's text as before.
        assertThat(request.getHeaders().get("X-Sequencer-Signature"))
                .isEqualTo(WebhookSignature.header(WHSEC, 1772355600L, request.getBody().utf8()));
    }

    @Test
    void an_unsigned_webhook_still_carries_its_id_and_time_but_no_signature() throws Exception {
        RecordedRequest request = sendStep(Optional.empty());
        assertThat(request.getHeaders().get("webhook-id")).isEqualTo(delivery.deliveryId().value());
        assertThat(request.getHeaders().get("webhook-timestamp")).isEqualTo("1772355600");
        assertThat(request.getHeaders().get("webhook-signature")).isNull();
        assertThat(request.getHeaders().get("X-Sequencer-Signature")).isNull();
    }

    @Test
    void while_a_previous_secret_is_set_both_signatures_are_sent_in_both_headers() throws Exception {
        settings.put("SEQ_ACME__HOOK_SECRET_PREVIOUS", OLD);
        RecordedRequest request = sendStep(Optional.of("SEQ_ACME__HOOK_SECRET"));
        assertThat(request.getHeaders().get("webhook-signature")).isEqualTo(expectedSignature(whsecKey(WHSEC), request) + " "
                + expectedSignature(OLD.getBytes(StandardCharsets.US_ASCII), request));
        String body = request.getBody().utf8();
        String current = WebhookSignature.header(WHSEC, 1772355600L, body);
        String previous = WebhookSignature.header(OLD, 1772355600L, body);
        assertThat(request.getHeaders().get("X-Sequencer-Signature"))
                .isEqualTo(current + previous.substring(previous.indexOf(",v1=")));
    }

    @Test
    void a_notification_batch_is_signed_alike_and_keeps_its_id_when_sent_again() throws Exception {
        List<Notice> batch = List.of(notice(1), notice(2), notice(3));
        RecordedRequest first = sendNotices(batch);
        clock.advance(Duration.ofSeconds(30));
        RecordedRequest again = sendNotices(batch);
        String id = first.getHeaders().get("webhook-id");
        assertThat(id).startsWith("ntf_").doesNotContain(".");
        assertThat(again.getHeaders().get("webhook-id")).isEqualTo(id);
        assertThat(again.getHeaders().get("webhook-timestamp")).isEqualTo("1772355630");
        assertThat(first.getHeaders().get("webhook-signature")).isEqualTo(expectedSignature(whsecKey(WHSEC), first));
        assertThat(again.getHeaders().get("webhook-signature")).isEqualTo(expectedSignature(whsecKey(WHSEC), again));
        // Other events are another message.
        assertThat(sendNotices(List.of(notice(1), notice(2))).getHeaders().get("webhook-id")).isNotEqualTo(id);
    }

    @Test
    void a_single_event_goes_as_a_message_with_the_events_own_id() throws Exception {
        RecordedRequest request = sendNotices(List.of(notice(7)));
        assertThat(request.getHeaders().get("webhook-id")).isEqualTo(Notice.eventIdOf(key, 7));
        assertThat(request.getHeaders().get("webhook-signature")).isEqualTo(expectedSignature(whsecKey(WHSEC), request));
    }
}
