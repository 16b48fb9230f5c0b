package io.sequencer.channel.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.channel.ChannelSender;
import io.sequencer.adapters.channel.SecretSettings;
import io.sequencer.adapters.channel.SignedPost;
import io.sequencer.adapters.json.Json;
import io.sequencer.engine.secret.SecretLookup;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import okhttp3.OkHttpClient;

/**
 * Delivers a step by POSTing it to the host's webhook, as Standard Webhooks message {@code webhook-id} = the
 * delivery id (also its {@code Idempotency-Key}). 2xx is sent; 408, 429 and 5xx (and network errors, timeouts) are
 * transient; any other status, redirects included, is permanent.
 */
public final class WebhookChannel implements ChannelSender<WebhookConfig> {
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    private final SignedPost post;

    public WebhookChannel(OkHttpClient http, Function<String, String> settings, Clock clock) {
        this(http, settings, SecretLookup.NONE, clock);
    }

    public WebhookChannel(OkHttpClient http, Function<String, String> settings, SecretLookup accountSecrets, Clock clock) {
        this.post = new SignedPost(http, settings, accountSecrets, clock);
    }

    public WebhookChannel(OkHttpClient http, SecretSettings settings, SecretLookup accountSecrets, Clock clock) {
        this.post = new SignedPost(http, settings, accountSecrets, clock);
    }

    @Override
    public Class<WebhookConfig> config() {
        return WebhookConfig.class;
    }

    @Override
    public SendResult send(WebhookConfig config, Delivery delivery) {
        String id = delivery.deliveryId().value();
        return post.post(config.url().toString(), Json.write(payload(delivery)), delivery.target().account(),
                config.secretSetting(), config.secret(), id, Map.of(IDEMPOTENCY_HEADER, id), "webhook");
    }

    @Override
    public Optional<String> requestBody(WebhookConfig config, Delivery delivery) {
        return Optional.of(Json.write(payload(delivery)));
    }

    private static ObjectNode payload(Delivery delivery) {
        ObjectNode out = Json.object();
        out.put("deliveryId", delivery.deliveryId().value());
        delivery.target().ids().forEach(out::put);
        out.set("message", Json.read(delivery.message()));
        out.put("dueAt", delivery.dueAt().toString());
        out.put("attempt", delivery.attempt());
        return out;
    }
}
