package io.sequencer.channel.sendgrid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.channel.AccountSecretResolver;
import io.sequencer.adapters.channel.ChannelSender;
import io.sequencer.adapters.channel.SecretSettings;
import io.sequencer.adapters.channel.SendFailures;
import io.sequencer.adapters.channel.UnusableSecret;
import io.sequencer.adapters.json.Json;
import io.sequencer.engine.secret.SecretLookup;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;
import java.io.IOException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Delivers a step as an e-mail through SendGrid's v3 mail API to the subscriber's {@code email} attribute. 2xx is
 * sent; 408, 429 and 5xx (and network errors, timeouts) are transient; a refused API key or any other answer is
 * permanent. The delivery's ids travel as {@code custom_args}, so SendGrid's event webhook can be mapped back.
 */
public final class SendGridChannel implements ChannelSender<SendGridConfig> {
    public static final String DEFAULT_BASE_URL = "https://api.sendgrid.com";

    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    // SendGrid's error answers are small JSON documents; nothing past this is worth holding in memory.
    private static final long MAX_ERROR_JSON = 8 * 1024;

    private final OkHttpClient http;
    private final SecretSettings secrets;
    private final AccountSecretResolver accountSecrets;
    private final HttpUrl sendUrl;
    private final Clock clock;

    public SendGridChannel(OkHttpClient http, Function<String, String> settings, String baseUrl, Clock clock) {
        this(http, settings, SecretLookup.NONE, baseUrl, clock);
    }

    public SendGridChannel(OkHttpClient http, Function<String, String> settings, SecretLookup accountSecrets,
                           String baseUrl, Clock clock) {
        this(http, new SecretSettings(settings), accountSecrets, baseUrl, clock);
    }

    public SendGridChannel(OkHttpClient http, SecretSettings settings, SecretLookup accountSecrets, String baseUrl, Clock clock) {
        this.http = http;
        this.secrets = settings;
        this.accountSecrets = new AccountSecretResolver(accountSecrets);
        this.sendUrl = HttpUrl.get(baseUrl).newBuilder().addPathSegments("v3/mail/send").build();
        this.clock = clock;
    }

    @Override
    public Class<SendGridConfig> config() {
        return SendGridConfig.class;
    }

    @Override
    public SendResult send(SendGridConfig config, Delivery delivery) {
        if (delivery.email().isEmpty()) {
            return new SendResult.PermanentFailure("subscriber has no email attribute");
        }
        String apiKey;
        try {
            apiKey = config.apiKey().isPresent()
                    ? accountSecrets.bearerToken(delivery.target().account(), config.apiKey().get(), "sendgrid API key")
                    : secrets.bearerToken(delivery.target().account(), config.apiKeySetting().orElseThrow(), "sendgrid API key");
        } catch (UnusableSecret e) {
            return e.failure();
        }
        Request request = new Request.Builder().url(sendUrl)
                .header("Authorization", "Bearer " + apiKey)
                .header("User-Agent", "Sequencer/1")
                .post(RequestBody.create(Json.write(mail(config, delivery)), JSON))
                .build();
        // SendGrid has no idempotency key: a send retried after a timeout may arrive twice, which beats never.
        try (Response response = http.newCall(request).execute()) {
            if (response.isSuccessful()) {
                String id = response.header("X-Message-Id");
                return new SendResult.Sent(id == null || id.isBlank()
                        ? "sendgrid HTTP " + response.code() : "sendgrid " + SendFailures.oneLine(id, apiKey));
            }
            return failure(response, apiKey);
        } catch (IOException e) {
            return SendFailures.unanswered("sendgrid", e);
        }
    }

    private SendResult failure(Response response, String... secrets) throws IOException {
        int status = response.code();
        if (status == 401 || status == 403) {
            return new SendResult.PermanentFailure("sendgrid rejected the API key (HTTP " + status + ")");
        }
        String reason = errorMessage(response, secrets);
        return SendFailures.byStatus(status, "sendgrid answered HTTP " + status + (reason.isEmpty() ? "" : ": " + reason),
                retryAfter(response));
    }

    /** The first of SendGrid's {@code errors[].message}, or else the start of the body. */
    private static String errorMessage(Response response, String... secrets) throws IOException {
        try {
            JsonNode first = Json.MAPPER.readTree(response.peekBody(MAX_ERROR_JSON).string())
                    .path("errors").path(0).path("message");
            if (first.isTextual() && !first.asText().isBlank()) {
                return SendFailures.oneLine(first.asText(), secrets);
            }
        } catch (JsonProcessingException notJson) {
            // An HTML error page from a proxy, or a body cut at MAX_ERROR_JSON: its start says enough.
        }
        return SendFailures.snippet(response, secrets);
    }

    private Optional<Duration> retryAfter(Response response) {
        Optional<Duration> asked = SendFailures.retryAfter(response.header("Retry-After"), clock);
        if (asked.isPresent() || response.code() != 429) {
            return asked;
        }
        // SendGrid's rate limiter says when its window resets (epoch seconds) rather than how long to wait.
        String reset = response.header("X-RateLimit-Reset");
        if (reset == null) {
            return Optional.empty();
        }
        try {
            Duration wait = Duration.between(clock.instant(), Instant.ofEpochSecond(Long.parseLong(reset.trim())));
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (NumberFormatException | DateTimeException unusable) {
            return Optional.empty();
        }
    }

    /** The mail as sent; without the subscriber's address (none known) there is none to show. */
    @Override
    public Optional<String> requestBody(SendGridConfig config, Delivery delivery) {
        return delivery.email().map(address -> Json.write(mail(config, delivery)));
    }

    private static ObjectNode mail(SendGridConfig config, Delivery delivery) {
        JsonNode message = Json.read(delivery.message());
        ObjectNode out = Json.object();
        ObjectNode personalization = out.putArray("personalizations").addObject();
        personalization.putArray("to").addObject().put("email", delivery.email().orElseThrow());
        JsonNode data = message.get("dynamicTemplateData");
        if (data != null && data.isObject()) {
            personalization.set("dynamic_template_data", data);
        }
        ObjectNode args = personalization.putObject("custom_args");
        args.put("deliveryId", delivery.deliveryId().value());
        delivery.target().ids().forEach(args::put);
        ObjectNode from = out.putObject("from").put("email", config.fromEmail());
        config.fromName().ifPresent(name -> from.put("name", name));
        if (message.hasNonNull("subject")) {
            out.put("subject", message.get("subject").asText());
        }
        if (message.hasNonNull("templateId")) {
            out.put("template_id", message.get("templateId").asText());
        } else {
            ArrayNode content = out.putArray("content");
            // SendGrid refuses content whose text/plain part is not the first.
            addContent(content, "text/plain", message.get("text"));
            addContent(content, "text/html", message.get("html"));
        }
        return out;
    }

    private static void addContent(ArrayNode content, String type, JsonNode value) {
        if (value != null && value.isTextual()) {
            content.addObject().put("type", type).put("value", value.asText());
        }
    }
}
