package io.sequencer.adapters.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.adapters.crypto.LocalKeyWrap;
import io.sequencer.adapters.json.Json;
import io.sequencer.adapters.json.SecretJson;
import io.sequencer.channel.messenger.MessengerChannel;
import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.sendgrid.SendGridChannel;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.channel.webhook.WebhookChannel;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.secret.AccountSecrets;
import io.sequencer.engine.secret.SealedSecret;
import io.sequencer.engine.secret.SecretSeal;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;
import io.sequencer.testing.InMemorySecretStore;
import io.sequencer.testing.SteppingClock;
import io.sequencer.testing.TestAppSettings;
import io.sequencer.testing.TestGuards;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever a destination answers, even the credentials it was sent, no failure detail and no log line carries the
 * webhook secret or the SendGrid API key, whether they come from app settings or from the account's own secrets;
 * and the secret store and the secrets API show a value nowhere: not in an answer, a problem, a listing or a log.
 */
class SecretsNeverLeakTest {
    private static final String WEBHOOK_SECRET = "whsec-Xq81-never-to-be-seen";
    private static final String API_KEY = "SG.Kv93-key-id.never-to-be-seen-either";
    private static final String PAGE_TOKEN = "EAAGpage-Zz41-never-to-be-seen-too";
    // One of each way an answer is handled: sent, redirect, refused key, other 4xx, throttled, server error.
    private static final List<Integer> STATUSES = List.of(202, 302, 400, 401, 403, 404, 408, 429, 500, 503);

    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final MockWebServer server = new MockWebServer();
    private final OkHttpClient http = HttpClients.withTimeouts(TestGuards.loopbackAllowed(), Duration.ofSeconds(1), Duration.ofMillis(300), Duration.ofSeconds(2));
    private final Function<String, String> settings = TestAppSettings.of("SEQ_ACME__HOOK_SECRET", WEBHOOK_SECRET, "SEQ_ACME__SENDGRID_KEY", API_KEY,
            "SEQ_ACME__PAGE_TOKEN", PAGE_TOKEN)::get;
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final List<SendResult> results = new ArrayList<>();
    private final Logger root = Logger.getLogger("");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringBuilder line = new StringBuilder(record.getLoggerName() + " " + record.getMessage());
            if (record.getParameters() != null) {
                line.append(' ').append(Arrays.deepToString(record.getParameters()));
            }
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append(' ').append(trace);
            }
            logged.add(line.toString());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private Level rootLevel;
    private WebhookChannel webhook;
    private SendGridChannel sendGrid;
    private MessengerChannel messenger;
    @TempDir
    Path keys;
    private InMemorySecretStore secretStore;
    private AccountSecrets accountSecrets;
    private boolean viaAccountSecrets;

    @BeforeEach
    void start() throws Exception {
        rootLevel = root.getLevel();
        root.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
        server.start();
        secretStore = new InMemorySecretStore();
        accountSecrets = new AccountSecrets(secretStore, new LocalKeyWrap(keys.resolve("master.key")),
                (account, name) -> List.of("sequence welcome"), clock);
        accountSecrets.put("acme", "hook", WEBHOOK_SECRET, Optional.empty());
        accountSecrets.put("acme", "mail", API_KEY, Optional.empty());
        accountSecrets.put("acme", "page", PAGE_TOKEN, Optional.empty());
        webhook = new WebhookChannel(http, settings, accountSecrets, clock);
        sendGrid = new SendGridChannel(http, settings, accountSecrets, server.url("/").toString(), clock);
        messenger = new MessengerChannel(http, settings, accountSecrets, server.url("/").toString(), clock);
    }

    @AfterEach
    void stop() {
        server.close();
        root.removeHandler(capture);
        root.setLevel(rootLevel);
    }

    private final Delivery delivery = new Delivery(new DeliveryId("dlv_00112233445566778899aabbccddeeff"),
            new EnrollmentKey("acme", "welcome", "sub-42"), "tips", "{\"subject\":\"Hi\",\"text\":\"Hello\"}",
            Instant.parse("2026-03-01T08:59:58Z"), 1, Optional.empty(), Optional.of("ada@example.com"));

    private void sendBoth(Function<RecordedRequest, MockResponse> answer) {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer.apply(request);
            }
        });
        if (viaAccountSecrets) {
            results.add(webhook.send(new WebhookConfig(URI.create(server.url("/hook").toString()), Optional.empty(),
                    Optional.of("hook")), delivery));
            results.add(sendGrid.send(new SendGridConfig(Optional.empty(), "news@acme.example", Optional.empty(),
                    Optional.of("mail")), delivery));
            results.add(messenger.send(new MessengerConfig("1234", Optional.empty(), "21.0", Optional.of("page")),
                    delivery));
            return;
        }
        results.add(webhook.send(new WebhookConfig(URI.create(server.url("/hook").toString()), Optional.of("SEQ_ACME__HOOK_SECRET")),
                delivery));
        results.add(sendGrid.send(new SendGridConfig("SEQ_ACME__SENDGRID_KEY", "news@acme.example", Optional.empty()), delivery));
        results.add(messenger.send(new MessengerConfig("1234", "SEQ_ACME__PAGE_TOKEN", "21.0"), delivery));
    }

    /**
     * A destination that hands back everywhere it can the credential it holds: the host its secret, SendGrid its
     * key, Graph the page token (in its error object's message, where Graph puts what it has to say).
     */
    private static MockResponse echoing(int status, RecordedRequest request, String padding) {
        String credentials = request.getUrl().encodedPath().equals("/hook")
                ? WEBHOOK_SECRET + " " + request.getHeaders().get(WebhookSignature.HEADER)
                : request.getHeaders().get("Authorization");
        String headers = request.getHeaders().toString().replace("\n", " ").replace("\"", "'");
        String body = request.getUrl().encodedPath().startsWith("/v21.0/")
                ? "{\"error\":{\"message\":\"" + padding + credentials + " " + headers + "\",\"code\":100}}"
                : padding + "{\"errors\":[{\"message\":\"" + credentials + "\"}],\"request\":\"" + headers + "\"}";
        return new MockResponse.Builder().code(status).body(body)
                .setHeader("X-Message-Id", credentials)
                .setHeader("Retry-After", credentials)
                .setHeader("X-RateLimit-Reset", credentials)
                .setHeader("Location", "http://elsewhere.example/?k=" + credentials.replace(" ", "+"))
                .build();
    }

    @Test
    void no_answer_of_any_status_carries_a_secret_into_a_result_or_a_log() {
        for (int status : STATUSES) {
            sendBoth(request -> echoing(status, request, ""));
            // The credentials placed where a cut to a short detail would fall through them.
            for (int pad = 165; pad <= 185; pad += 10) {
                String padding = "p".repeat(pad);
                sendBoth(request -> echoing(status, request, padding));
            }
        }
        assertThat(logged).as("the handler hears the HTTP traffic").isNotEmpty();
        assertNothingLeaked();
    }

    @Test
    void no_failure_without_an_answer_carries_a_secret() {
        sendBoth(request -> new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
        sendBoth(request -> new MockResponse.Builder().code(200).headersDelay(1, TimeUnit.SECONDS).build());
        sendBoth(request -> new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
        sendBoth(request -> new MockResponse.Builder().code(500).body(request.getHeaders().toString())
                .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE).build());
        assertThat(results).allMatch(r -> !(r instanceof SendResult.Sent), "every send failed");
        assertNothingLeaked();
    }

    @Test
    void settings_that_are_missing_or_unusable_are_named_never_quoted() {
        Function<String, String> broken = TestAppSettings.of("SEQ_ACME__HOOK_SECRET", "", "SEQ_ACME__SENDGRID_KEY", API_KEY + "\n\u0000", "SEQ_ACME__PAGE_TOKEN", "")::get;
        results.add(new WebhookChannel(http, broken, clock).send(
                new WebhookConfig(URI.create(server.url("/hook").toString()), Optional.of("SEQ_ACME__HOOK_SECRET")), delivery));
        results.add(new SendGridChannel(http, broken, server.url("/").toString(), clock).send(
                new SendGridConfig("SEQ_ACME__SENDGRID_KEY", "news@acme.example", Optional.empty()), delivery));
        results.add(new MessengerChannel(http, broken, server.url("/").toString(), clock).send(
                new MessengerConfig("1234", "SEQ_ACME__PAGE_TOKEN", "21.0"), delivery));
        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(SendResult.PermanentFailure.class));
        assertThat(server.getRequestCount()).isZero();
        assertNothingLeaked();
    }

    @Test
    void account_secrets_are_never_echoed_into_a_result_or_a_log_whatever_the_answer() {
        viaAccountSecrets = true;
        for (int status : STATUSES) {
            sendBoth(request -> echoing(status, request, ""));
        }
        sendBoth(request -> new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
        // 11 answers for each of the three channels (a client may retry a closed pooled connection once more).
        assertThat(server.getRequestCount()).as("every channel sent with the account's secret").isGreaterThanOrEqualTo(33);
        assertNothingLeaked();
    }

    @Test
    void account_secrets_that_are_missing_unreadable_or_unusable_are_named_never_quoted() {
        viaAccountSecrets = true;
        // Unusable in a header: a line break inside the key and the token.
        accountSecrets.put("acme", "mail", API_KEY + "\nmore", Optional.empty());
        accountSecrets.put("acme", "page", PAGE_TOKEN + " " + PAGE_TOKEN, Optional.empty());
        // Unreadable: the stored ciphertext changed.
        var stored = secretStore.find("acme", "hook").orElseThrow();
        byte[] changed = stored.value().current().ciphertext();
        changed[0] ^= 1;
        secretStore.replace(new SealedSecret("acme", "hook", new SecretSeal.Sealed(1, stored.value().current().nonce(),
                changed), Optional.empty(), Optional.empty(), "00000000", clock.instant(), clock.instant()), stored.etag());
        sendBoth(request -> new MockResponse.Builder().code(202).build());
        Delivery intruders = new Delivery(new DeliveryId("dlv_00112233445566778899aabbccddeeff"),
                new EnrollmentKey("intruder", "welcome", "sub-42"), "tips", "{\"subject\":\"Hi\",\"text\":\"Hello\"}",
                Instant.parse("2026-03-01T08:59:58Z"), 1, Optional.empty(), Optional.of("ada@example.com"));
        results.add(sendGrid.send(new SendGridConfig(Optional.empty(), "news@acme.example", Optional.empty(),
                Optional.of("mail")), intruders));
        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(SendResult.PermanentFailure.class));
        assertThat(server.getRequestCount()).isZero();
        assertNothingLeaked();
    }

    @Test
    void the_secret_store_and_the_secrets_api_show_a_value_nowhere() {
        List<String> shown = new ArrayList<>();
        AccountSecrets.Saved replaced = accountSecrets.put("acme", "hook", API_KEY, Optional.of(Duration.ofHours(48)));
        shown.add(replaced.toString());
        shown.add(Json.write(SecretJson.write("acme", replaced.info())));
        shown.add(Json.write(SecretJson.writeList("acme", accountSecrets.list("acme"))));
        shown.add(accountSecrets.reveal("acme", "hook").orElseThrow().toString());
        shown.add(secretStore.find("acme", "hook").orElseThrow().toString());
        shown.add(SecretJson.parse(Json.write(Json.object().put("value", WEBHOOK_SECRET))).toString());
        // Every way a PUT body can be refused, with the value inside it.
        for (String body : List.of("{\"value\": " + WEBHOOK_SECRET + "}", "{\"value\":\"" + WEBHOOK_SECRET + "\"",
                "[\"" + WEBHOOK_SECRET + "\"]", "{\"value\":[\"" + WEBHOOK_SECRET + "\"]}",
                "{\"value\":\"" + WEBHOOK_SECRET + "\",\"keepPrevious\":\"" + WEBHOOK_SECRET + "\"}",
                "{\"" + WEBHOOK_SECRET + "\":1,\"value\":\"v\"}", "{\"value\":\"" + WEBHOOK_SECRET.repeat(400) + "\"}")) {
            try {
                SecretJson.parse(body);
                shown.add("accepted");
            } catch (Invalid refused) {
                shown.add(refused.getMessage() + " " + refused.errors());
            }
        }
        try {
            accountSecrets.delete("acme", "hook");
        } catch (Conflict inUse) {
            shown.add(inUse.getMessage());
        }
        assertThat(shown).doesNotContain("accepted").hasSize(14);
        for (String text : shown) {
            for (String secret : List.of(WEBHOOK_SECRET, API_KEY, PAGE_TOKEN)) {
                assertThat(text).doesNotContain(secret.substring(0, secret.length() / 2));
            }
        }
        for (String line : logged) {
            assertThat(line).doesNotContain(WEBHOOK_SECRET).doesNotContain(API_KEY).doesNotContain(PAGE_TOKEN);
        }
    }

    private void assertNothingLeaked() {
        assertThat(results).isNotEmpty();
        for (SendResult result : results) {
            for (String secret : List.of(WEBHOOK_SECRET, API_KEY, PAGE_TOKEN)) {
                // Not even a piece: a detail cut through a secret would show its start.
                assertThat(result.toString()).doesNotContain(secret.substring(0, secret.length() / 2));
            }
        }
        for (String line : logged) {
            assertThat(line).doesNotContain(WEBHOOK_SECRET).doesNotContain(API_KEY).doesNotContain(PAGE_TOKEN);
        }
    }
}
