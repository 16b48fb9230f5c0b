package io.sequencer.channel.messenger;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Sends a step through the Messenger Send API: {@code POST {graph}/v{version}/me/messages} as the page, with the
 * step's message object as {@code message}, the subscriber's page-scoped id as recipient, and the step's
 * message tag when it has one. The page token travels in the Authorization header, never in a URL, a log line
 * or an error detail. Graph's error codes refine {@link SendFailures}: throttling is transient, a missed
 * messaging window is recorded as such and not retried, a blocked or vanished user is gone.
 */
public final class MessengerChannel implements ChannelSender<MessengerConfig> {
    public static final String DEFAULT_GRAPH_BASE = "https://graph.facebook.com";
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    /** Graph codes for "try later": unknown/service errors and the application, user and page rate limits. */
    private static final Set<Integer> TRANSIENT_CODES = Set.of(1, 2, 4, 17, 32, 613);
    private static final int WINDOW_CODE = 10;
    private static final int WINDOW_SUBCODE = 2018278;

    private final OkHttpClient http;
    private final SecretSettings secrets;
    private final AccountSecretResolver accountSecrets;
    private final String graphBase;
    private final Clock clock;

    public MessengerChannel(OkHttpClient http, Function<String, String> settings, String graphBase, Clock clock) {
        this(http, settings, SecretLookup.NONE, graphBase, clock);
    }

    public MessengerChannel(OkHttpClient http, Function<String, String> settings, SecretLookup accountSecrets,
                            String graphBase, Clock clock) {
        this(http, new SecretSettings(settings), accountSecrets, graphBase, clock);
    }

    public MessengerChannel(OkHttpClient http, SecretSettings settings, SecretLookup accountSecrets, String graphBase, Clock clock) {
        this.http = http;
        this.secrets = settings;
        this.accountSecrets = new AccountSecretResolver(accountSecrets);
        this.graphBase = graphBase.endsWith("/") ? graphBase.substring(0, graphBase.length() - 1) : graphBase;
        this.clock = clock;
    }

    @Override
    public Class<MessengerConfig> config() {
        return MessengerConfig.class;
    }

    @Override
    public SendResult send(MessengerConfig config, Delivery delivery) {
        String token;
        try {
            token = config.pageToken().isPresent()
                    ? accountSecrets.bearerToken(delivery.target().account(), config.pageToken().get(), "page token")
                    : secrets.bearerToken(delivery.target().account(), config.pageTokenSetting().orElseThrow(), "page token");
        } catch (UnusableSecret e) {
            return e.failure();
        }
        Request request = new Request.Builder()
                .url(graphBase + "/v" + config.graphVersion() + "/me/messages")
                .header("Authorization", "Bearer " + token)
                .header("User-Agent", "Sequencer/1")
                .post(RequestBody.create(Json.write(body(delivery)), JSON))
                .build();
        try (Response response = http.newCall(request).execute()) {
            if (response.isSuccessful()) {
                JsonNode answer = readJson(response);
                return new SendResult.Sent("messenger " + answer.path("message_id").asText("sent"));
            }
            return classify(response, token, delivery.marketingToken());
        } catch (IOException e) {
            return SendFailures.unanswered("graph api", e);
        }
    }

    @Override
    public Optional<String> requestBody(MessengerConfig config, Delivery delivery) {
        return Optional.of(Json.write(body(delivery)));
    }

    /**
     * The Send API body: to the page-scoped id, or, for a marketing message, to the subscriber's opt-in token
     * ({@code recipient.notification_messages_token}, without a messaging type or tag, as Meta's Marketing Messages
     * send takes it).
     */
    static ObjectNode body(Delivery delivery) {
        ObjectNode body = Json.object();
        if (delivery.marketingToken().isPresent()) {
            body.putObject("recipient").put("notification_messages_token", delivery.marketingToken().get());
        } else {
            body.putObject("recipient").put("id", delivery.subscriberId());
            body.put("messaging_type", delivery.tag().isPresent() ? "MESSAGE_TAG" : "UPDATE");
            delivery.tag().ifPresent(tag -> body.put("tag", tag));
        }
        body.set("message", Json.read(delivery.message()));
        return body;
    }

    private SendResult classify(Response response, String token, Optional<String> marketingToken) throws IOException {
        JsonNode error = readJson(response).path("error");
        int code = error.path("code").asInt(-1);
        int subcode = error.path("error_subcode").asInt(-1);
        String message = SendFailures.oneLine(error.path("message").asText(""), token, marketingToken.orElse(""));
        String detail = "graph error " + code + (subcode < 0 ? "" : "/" + subcode) + " (HTTP " + response.code() + ")"
                + (message.isEmpty() ? "" : ": " + message);
        if (marketingToken.isPresent()) {
            Optional<SendResult> marketing = MarketingErrors.classify(code, subcode, message, detail);
            if (marketing.isPresent()) {
                return marketing.get();
            }
        }
        if (code == WINDOW_CODE && subcode == WINDOW_SUBCODE) {
            return new SendResult.PermanentFailure("outside_messaging_window: " + detail);
        }
        if (code == 551 || (code == 100 && subcode == 2018001) || (code == 200 && subcode == 1545041)) {
            return new SendResult.RecipientGone(detail);
        }
        if (code == 190) {
            return new SendResult.PermanentFailure("page token rejected: " + detail);
        }
        if (TRANSIENT_CODES.contains(code)) {
            return new SendResult.TransientFailure(detail,
                    SendFailures.retryAfter(response.header("Retry-After"), clock).orElse(null));
        }
        return SendFailures.byStatus(response.code(), detail, SendFailures.retryAfter(response.header("Retry-After"), clock));
    }

    /** The answer's JSON, read within a bound (Graph answers are small; anything else is not trusted). */
    private static JsonNode readJson(Response response) throws IOException {
        String text = response.peekBody(16 * 1024).string();
        try {
            return Optional.ofNullable(Json.MAPPER.readTree(text)).orElse(Json.object());
        } catch (IOException notJson) {
            return Json.object();
        }
    }
}
