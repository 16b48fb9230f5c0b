package io.sequencer.adapters.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.messenger.MessengerChannel;
import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.sendgrid.SendGridChannel;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.channel.webhook.WebhookChannel;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.account.AppSettingPolicy;
import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.notification.Notice;
import io.sequencer.domain.notification.NoticeType;
import io.sequencer.domain.notification.NotificationSettings;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;
import io.sequencer.testing.SteppingClock;
import io.sequencer.testing.TestGuards;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * At send time, a stored definition that names an app setting its account may not use (another account's, a
 * platform setting, any setting once no template allows it) fails the step once, for good, without reading the
 * setting or calling the destination; and the failure is the same whether or not that setting exists, so a
 * timeline or report tells an intruder nothing about another account's settings.
 */
class ForeignSecretSettingTest {
    private static final String TEMPLATE = "SEQ_{ACCOUNT}__";
    private static final String VALUE = "owner-secret-Vq3";
    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final MockWebServer server = new MockWebServer();
    private final List<String> read = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        // Every destination accepts at once: a send that should have been refused shows as sent, without waiting.
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(200).body("{\"message_id\":\"m.1\"}").build();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The settings, remembering every name read other than the template. */
    private Function<String, String> settings(Map<String, String> values) {
        return name -> {
            if (!name.equals(AppSettingPolicy.TEMPLATE_SETTING)) {
                read.add(name);
            }
            return values.get(name);
        };
    }

    private static Map<String, String> with(String template, String... namesAndValues) {
        Map<String, String> values = new HashMap<>();
        if (template != null) {
            values.put(AppSettingPolicy.TEMPLATE_SETTING, template);
        }
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return values;
    }

    private static Delivery delivery(String account) {
        return new Delivery(new DeliveryId("dlv_00112233445566778899aabbccddeeff"), new EnrollmentKey(account, "welcome", "6543210"),
                "tips", "{\"text\":\"Hi\",\"subject\":\"Hi\"}", Instant.parse("2026-03-01T08:59:58Z"), 1, Optional.empty(),
                Optional.of("ada@example.com"));
    }

    /** What each of the four senders answers when {@code account}'s definitions name {@code setting}. */
    private List<SendResult> sendAll(Map<String, String> values, String account, String setting) {
        Function<String, String> s = settings(values);
        String base = server.url("/").toString();
        Instant at = clock.instant();
        EnrollmentKey key = new EnrollmentKey(account, "welcome", "6543210");
        NotificationSettings notices = new NotificationSettings(account, URI.create(server.url("/notices").toString()),
                Optional.of(setting), EnumSet.allOf(NoticeType.class), at, at, Optional.empty(), Optional.empty(),
                Optional.empty());
        Notice notice = new Notice(1, Notice.eventIdOf(key, 1), NoticeType.ENROLLMENT_STARTED, at, 1, Optional.empty(),
                Optional.empty(), Optional.empty());
        return List.of(
                new WebhookChannel(HttpClients.shared(TestGuards.loopbackAllowed()), s, clock).send(
                        new WebhookConfig(URI.create(server.url("/hook").toString()), Optional.of(setting)),
                        delivery(account)),
                new NotificationWebhook(HttpClients.shared(TestGuards.loopbackAllowed()), s, clock).send(notices, List.of(Map.entry(key, notice))),
                new MessengerChannel(HttpClients.shared(TestGuards.loopbackAllowed()), s, base, clock).send(
                        new MessengerConfig("1234", setting, "21.0"), delivery(account)),
                new SendGridChannel(HttpClients.shared(TestGuards.loopbackAllowed()), s, base, clock).send(
                        new SendGridConfig(setting, "news@acme.example", Optional.empty()), delivery(account)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SEQ_OWNER__HOOK_SECRET", "seq_owner__hook_secret", "Seq_Owner__Hook_Secret",
            "SEQ_OWNER_HOOK_SECRET", "OWNER__HOOK_SECRET", "HOOK_SECRET",
            "AzureWebJobsStorage", "azurewebjobsstorage", "WEBSITE_AUTH_ENCRYPTION_KEY", "IDENTITY_HEADER",
            "MSI_SECRET", "APPLICATIONINSIGHTS_CONNECTION_STRING", "FUNCTIONS_WORKER_RUNTIME", "SEQUENCER_FUNCTION_KEY",
            "SEQ_OWNER__\u212AEY", "SEQ_\u041EWNER__KEY", "SEQ_OWNER__..", "SEQ_OWNER__ KEY", "SEQ_OWNER__KEY\n"})
    void another_account_s_or_a_reserved_setting_fails_alike_whether_it_exists_or_not(String setting) {
        for (String intruder : List.of("intruder", "own", "Owner", "OWNER", "owner-x", "owner_")) {
            List<SendResult> exists = sendAll(with(TEMPLATE, setting, VALUE, setting + "_PREVIOUS", VALUE), intruder, setting);
            List<SendResult> missing = sendAll(with(TEMPLATE), intruder, setting);
            assertThat(exists).as(intruder).isEqualTo(missing)
                    .allSatisfy(r -> assertThat(r).isInstanceOfSatisfying(SendResult.PermanentFailure.class,
                            f -> assertThat(f.reason()).doesNotContain(VALUE)));
        }
        assertThat(read).as("settings read").isEmpty();
        assertThat(server.getRequestCount()).as("requests sent").isZero();
    }

    @Test
    void a_refusal_names_the_account_s_own_prefix_and_not_the_setting() {
        List<SendResult> refused = sendAll(with(TEMPLATE, "SEQ_OWNER__HOOK_SECRET", VALUE), "intruder", "SEQ_OWNER__HOOK_SECRET");
        String reason = "must name an app setting that starts with SEQ_INTRUDER__, this account's prefix";
        assertThat(refused).extracting(r -> ((SendResult.PermanentFailure) r).reason()).containsExactly(
                "webhook secret setting " + reason, "notification url secret setting " + reason, "page token setting " + reason,
                "sendgrid API key setting " + reason);
    }

    @Test
    void a_definition_stored_before_the_policy_stops_sending_its_owner_s_setting_until_a_template_allows_it() {
        String setting = "SEQ_OWNER__HOOK_SECRET";
        assertThat(sendAll(with(null, setting, VALUE), "owner", setting))
                .extracting(r -> ((SendResult.PermanentFailure) r).reason()).allSatisfy(reason -> assertThat(reason)
                        .endsWith("may not name an app setting: this service allows none (an admin allows them with "
                                + "SEQUENCER_ACCOUNT_SETTING_PREFIX)"));
        assertThat(sendAll(with("OTHER_{ACCOUNT}__", setting, VALUE), "owner", setting))
                .allSatisfy(r -> assertThat(r).isInstanceOf(SendResult.PermanentFailure.class));
        assertThat(read).isEmpty();
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void the_owner_sends_with_its_own_setting_and_the_previous_one_beside_it() {
        List<SendResult> sent = sendAll(with(TEMPLATE, "seq_owner__hook_secret", VALUE, "seq_owner__hook_secret_PREVIOUS",
                "old-" + VALUE), "owner", "seq_owner__hook_secret");
        assertThat(sent).allSatisfy(r -> assertThat(r).isInstanceOf(SendResult.Sent.class));
        assertThat(server.getRequestCount()).isEqualTo(4);
        assertThat(read).containsOnly("seq_owner__hook_secret", "seq_owner__hook_secret_PREVIOUS");
    }
}
