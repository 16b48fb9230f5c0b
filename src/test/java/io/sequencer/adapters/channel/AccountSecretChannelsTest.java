package io.sequencer.adapters.channel;

import static io.sequencer.adapters.channel.StandardWebhooksSpec.expectedSignature;
import static io.sequencer.adapters.channel.StandardWebhooksSpec.whsecKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.adapters.crypto.LocalKeyWrap;
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
import io.sequencer.engine.secret.AccountSecrets;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;
import io.sequencer.testing.InMemorySecretStore;
import io.sequencer.testing.SteppingClock;
import io.sequencer.testing.TestGuards;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * Channels that name a secret of the account's own ({@code secret}, {@code pageToken}, {@code apiKey}) send with
 * its value, looked up only within the delivery's account, with both signatures while a rotation keeps the
 * previous value. The secrets are real: sealed in the in-memory store under a local key file, with the cache on.
 */
class AccountSecretChannelsTest {
    private static final String WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String OLD = "old-plain-secret";
    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final MockWebServer server = new MockWebServer();
    @TempDir
    Path keys;
    private AccountSecrets secrets;

    @BeforeEach
    void start() throws Exception {
        server.start();
        secrets = new AccountSecrets(new InMemorySecretStore(), new LocalKeyWrap(keys.resolve("master.key")),
                (account, name) -> List.of(), clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Delivery delivery(String account) {
        return new Delivery(new DeliveryId("dlv_00112233445566778899aabbccddeeff"),
                new EnrollmentKey(account, "welcome", "psid-42"), "tips", "{\"text\":\"Hi\"}",
                Instant.parse("2026-03-01T08:59:58Z"), 1, Optional.empty(), Optional.of("ada@example.com"));
    }

    private SendResult sendStep(String account) {
        WebhookChannel channel = new WebhookChannel(HttpClients.shared(TestGuards.loopbackAllowed()), name -> null, secrets, clock);
        return channel.send(new WebhookConfig(URI.create(server.url("/hook").toString()), Optional.empty(),
                Optional.of("hook")), delivery(account));
    }

    @Test
    void a_webhook_naming_an_account_secret_is_signed_with_its_value() throws Exception {
        secrets.put("acme", "hook", WHSEC, Optional.empty());
        server.enqueue(new MockResponse.Builder().code(204).build());
        assertThat(sendStep("acme")).isInstanceOf(SendResult.Sent.class);
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getHeaders().get("webhook-signature")).isEqualTo(expectedSignature(whsecKey(WHSEC), request));
        assertThat(request.getHeaders().get("X-Sequencer-Signature"))
                .isEqualTo(WebhookSignature.header(WHSEC, clock.instant().getEpochSecond(), request.getBody().utf8()));
    }

    @Test
    void while_the_previous_value_is_kept_both_signatures_are_sent_and_after_its_end_only_the_new_one() throws Exception {
        secrets.put("acme", "hook", OLD, Optional.empty());
        secrets.put("acme", "hook", WHSEC, Optional.of(Duration.ofSeconds(30)));
        server.enqueue(new MockResponse.Builder().code(204).build());
        assertThat(sendStep("acme")).isInstanceOf(SendResult.Sent.class);
        RecordedRequest during = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(during.getHeaders().get("webhook-signature")).isEqualTo(expectedSignature(whsecKey(WHSEC), during) + " "
                + expectedSignature(OLD.getBytes(StandardCharsets.US_ASCII), during));

        // Within the cache's minute, but past the previous value's end: the cache must not keep it alive.
        clock.advance(Duration.ofSeconds(31));
        server.enqueue(new MockResponse.Builder().code(204).build());
        assertThat(sendStep("acme")).isInstanceOf(SendResult.Sent.class);
        RecordedRequest after = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(after.getHeaders().get("webhook-signature")).isEqualTo(expectedSignature(whsecKey(WHSEC), after));
    }

    @Test
    void a_replaced_value_signs_at_once_on_the_instance_that_replaced_it() throws Exception {
        secrets.put("acme", "hook", OLD, Optional.empty());
        server.enqueue(new MockResponse.Builder().code(204).build());
        sendStep("acme");
        server.takeRequest(5, TimeUnit.SECONDS);
        secrets.put("acme", "hook", WHSEC, Optional.empty());
        server.enqueue(new MockResponse.Builder().code(204).build());
        sendStep("acme");
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getHeaders().get("webhook-signature")).isEqualTo(expectedSignature(whsecKey(WHSEC), request));
    }

    @Test
    void another_accounts_delivery_cannot_use_the_secret() {
        secrets.put("acme", "hook", WHSEC, Optional.empty());
        SendResult result = sendStep("intruder");
        assertThat(result).isInstanceOf(SendResult.PermanentFailure.class);
        assertThat(result.toString()).contains("hook").contains("does not exist").doesNotContain(WHSEC).doesNotContain("acme");
        assertThat(server.getRequestCount()).as("nothing is sent unsigned").isZero();
    }

    @Test
    void messenger_and_sendgrid_send_the_accounts_token_and_key_as_bearer() throws Exception {
        secrets.put("acme", "page", "EAAGm0PX4ZCps-token", Optional.empty());
        secrets.put("acme", "mail", "SG.key-id.key-value", Optional.empty());
        server.enqueue(new MockResponse.Builder().code(200).body("{\"message_id\":\"m1\"}").build());
        server.enqueue(new MockResponse.Builder().code(202).build());
        assertThat(new MessengerChannel(HttpClients.shared(TestGuards.loopbackAllowed()), name -> null, secrets, server.url("/").toString(), clock)
                .send(new MessengerConfig("1234", Optional.empty(), "21.0", Optional.of("page")), delivery("acme")))
                .isInstanceOf(SendResult.Sent.class);
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization"))
                .isEqualTo("Bearer EAAGm0PX4ZCps-token");
        assertThat(new SendGridChannel(HttpClients.shared(TestGuards.loopbackAllowed()), name -> null, secrets, server.url("/").toString(), clock)
                .send(new SendGridConfig(Optional.empty(), "news@acme.example", Optional.empty(),
                        Optional.of("mail")), delivery("acme")))
                .isInstanceOf(SendResult.Sent.class);
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization"))
                .isEqualTo("Bearer SG.key-id.key-value");
        SendResult intruder = new MessengerChannel(HttpClients.shared(TestGuards.loopbackAllowed()), name -> null, secrets, server.url("/").toString(),
                clock).send(new MessengerConfig("1234", Optional.empty(), "21.0", Optional.of("page")),
                delivery("intruder"));
        assertThat(intruder).isInstanceOf(SendResult.PermanentFailure.class);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void a_notification_naming_an_account_secret_is_signed_with_its_value() throws Exception {
        secrets.put("acme", "hook", WHSEC, Optional.empty());
        server.enqueue(new MockResponse.Builder().code(204).build());
        Instant at = clock.instant();
        NotificationSettings target = new NotificationSettings("acme", URI.create(server.url("/notices").toString()),
                Optional.empty(), EnumSet.allOf(NoticeType.class), at, at, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("hook"));
        EnrollmentKey key = new EnrollmentKey("acme", "welcome", "psid-42");
        Notice notice = new Notice(1, Notice.eventIdOf(key, 1), NoticeType.STEP_SENT, at, 1, Optional.of("tips"),
                Optional.empty(), Optional.empty());
        assertThat(new NotificationWebhook(HttpClients.shared(TestGuards.loopbackAllowed()), name -> null, secrets, clock)
                .send(target, List.of(Map.entry(key, notice)))).isInstanceOf(SendResult.Sent.class);
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getHeaders().get("webhook-signature")).isEqualTo(expectedSignature(whsecKey(WHSEC), request));
    }
}
