package io.sequencer.adapters.channel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.ChannelConfig;
import io.sequencer.engine.Delivery;
import io.sequencer.engine.SendResult;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Function;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Delivers a step by POSTing it to the host's webhook. 2xx is sent; 408, 429 and 5xx (and network errors,
 * timeouts) are transient; any other status, redirects included, is permanent.
 */
public final class WebhookChannel {
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final int MAX_ERROR_BODY = 200;

    private final OkHttpClient http;
    private final Function<String, String> settings;
    private final Clock clock;

    public WebhookChannel(OkHttpClient http, Function<String, String> settings, Clock clock) {
        this.http = http;
        this.settings = settings;
        this.clock = clock;
    }

    public SendResult send(ChannelConfig.Webhook config, Delivery delivery) {
        String body = Json.write(payload(delivery));
        Request.Builder request;
        try {
            request = new Request.Builder().url(config.url().toString());
        } catch (IllegalArgumentException e) {
            return new SendResult.PermanentFailure("webhook url is not usable: " + e.getMessage());
        }
        request.header(IDEMPOTENCY_HEADER, delivery.deliveryId().value())
                .header("User-Agent", "Sequencer/1")
                .post(RequestBody.create(body, JSON));
        if (config.secretSetting().isPresent()) {
            String name = config.secretSetting().get();
            String secret = settings.apply(name);
            if (secret == null || secret.isEmpty()) {
                return new SendResult.PermanentFailure("webhook secret setting " + name + " is not set");
            }
            request.header(WebhookSignature.HEADER, WebhookSignature.header(secret, clock.instant().getEpochSecond(), body));
        }
        try (Response response = http.newCall(request.build()).execute()) {
            return classify(response);
        } catch (IOException e) {
            return new SendResult.TransientFailure("webhook unreachable: " + e.getClass().getSimpleName(), null);
        }
    }

    private static ObjectNode payload(Delivery delivery) {
        ObjectNode out = Json.object();
        out.put("deliveryId", delivery.deliveryId().value());
        out.put("account", delivery.key().account());
        out.put("sequenceId", delivery.key().sequenceId());
        out.put("stepId", delivery.stepId());
        out.put("subscriberId", delivery.key().subscriberId());
        out.set("message", Json.read(delivery.message()));
        out.put("dueAt", delivery.dueAt().toString());
        out.put("attempt", delivery.attempt());
        return out;
    }

    private SendResult classify(Response response) throws IOException {
        int code = response.code();
        if (code >= 200 && code < 300) {
            return new SendResult.Sent("HTTP " + code);
        }
        String detail = "webhook answered HTTP " + code + errorSnippet(response);
        if (code == 408 || code == 429 || code >= 500) {
            return new SendResult.TransientFailure(detail, retryAfter(response.header("Retry-After")).orElse(null));
        }
        return new SendResult.PermanentFailure(detail);
    }

    private static String errorSnippet(Response response) throws IOException {
        String text = response.peekBody(MAX_ERROR_BODY).string().replaceAll("\\p{Cntrl}", " ").strip();
        return text.isEmpty() ? "" : ": " + text;
    }

    /** {@code Retry-After} as seconds or as an HTTP date; absent or unparsable means no wish. */
    private Optional<Duration> retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim()))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (RuntimeException notDate) {
                return Optional.empty();
            }
        }
    }
}
