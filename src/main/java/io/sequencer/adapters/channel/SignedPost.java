package io.sequencer.adapters.channel;

import io.sequencer.engine.secret.SecretLookup;
import io.sequencer.engine.send.SendResult;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A JSON POST to a host URL, carrying the Standard Webhooks {@code webhook-id} and {@code webhook-timestamp} and,
 * when a secret setting or an account secret is named, signed twice: {@code X-Sequencer-Signature} and
 * {@code webhook-signature} (with the previous secret too while {@code <NAME>_PREVIOUS} is set or the account
 * secret's previous value is kept). Its answer is classified: 2xx sent; 408, 429, 5xx
 * and network errors transient (with the server's {@code Retry-After}); anything else, redirects included,
 * permanent. Shared by the webhook channel and lifecycle notifications, so both speak to the host the same way.
 */
public final class SignedPost {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final OkHttpClient http;
    private final SecretSettings secrets;
    private final AccountSecretResolver accountSecrets;
    private final Clock clock;

    SignedPost(OkHttpClient http, Function<String, String> settings, Clock clock) {
        this(http, settings, SecretLookup.NONE, clock);
    }

    public SignedPost(OkHttpClient http, Function<String, String> settings, SecretLookup accountSecrets, Clock clock) {
        this(http, new SecretSettings(settings), accountSecrets, clock);
    }

    public SignedPost(OkHttpClient http, SecretSettings secrets, SecretLookup accountSecrets, Clock clock) {
        this.http = http;
        this.secrets = secrets;
        this.accountSecrets = new AccountSecretResolver(accountSecrets);
        this.clock = clock;
    }

    /**
     * POSTs {@code body} to {@code url} as message {@code messageId} (the same on every retry of the same content;
     * no '.') for {@code account}, signed with {@code accountSecret} of that account when named (with both values
     * while a rotation keeps the previous one), else with the app setting {@code secretSetting}, which the
     * account's setting policy must allow; {@code what} names the destination in error details.
     */
    public SendResult post(String url, String body, String account, Optional<String> secretSetting,
                    Optional<String> accountSecret, String messageId, Map<String, String> headers, String what) {
        // Definitions only hold http(s) URLs; this guard keeps it so for any caller (OkHttp would quietly turn ws:
        // into http:).
        if (!url.regionMatches(true, 0, "http://", 0, 7) && !url.regionMatches(true, 0, "https://", 0, 8)) {
            return new SendResult.PermanentFailure(what + " url must be http or https");
        }
        Request.Builder request;
        try {
            request = new Request.Builder().url(url);
        } catch (IllegalArgumentException e) {
            return new SendResult.PermanentFailure(what + " url is not usable");
        }
        List<SigningSecret> signing = List.of();
        try {
            if (accountSecret.isPresent()) {
                signing = accountSecrets.signingSecrets(account, accountSecret.get(), what);
            } else if (secretSetting.isPresent()) {
                signing = secrets.signingSecrets(account, secretSetting.get(), what);
            }
        } catch (UnusableSecret e) {
            return e.failure();
        }
        long now = clock.instant().getEpochSecond();
        headers.forEach(request::header);
        request.header("User-Agent", "Sequencer/1")
                .header(StandardWebhookSignature.ID_HEADER, messageId)
                .header(StandardWebhookSignature.TIMESTAMP_HEADER, Long.toString(now))
                .post(RequestBody.create(body, JSON));
        if (!signing.isEmpty()) {
            request.header(WebhookSignature.HEADER,
                    WebhookSignature.header(signing.stream().map(SigningSecret::text).toList(), now, body));
            request.header(StandardWebhookSignature.SIGNATURE_HEADER, StandardWebhookSignature.header(
                    signing.stream().map(SigningSecret::standardKey).toList(), messageId, now, body));
        }
        // A 2xx body is never read: closing the response discards at most what arrives within OkHttp's short
        // discard window, so a host answering with an endless body cannot hold the call.
        try (Response response = http.newCall(request.build()).execute()) {
            if (response.isSuccessful()) {
                return new SendResult.Sent("HTTP " + response.code());
            }
            // The host knows the secrets and may echo them; they must not reach a recorded failure.
            String[] shown = signing.stream().flatMap(SigningSecret::shownForms).toArray(String[]::new);
            String snippet = SendFailures.snippet(response, shown);
            return SendFailures.byStatus(response.code(), what + " answered HTTP " + response.code()
                    + (snippet.isEmpty() ? "" : ": " + snippet), SendFailures.retryAfter(response.header("Retry-After"), clock));
        } catch (IOException e) {
            return SendFailures.unanswered(what, e);
        }
    }
}
