package io.sequencer.adapters.channel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.adapters.json.NoticeJson;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.notification.Notice;
import io.sequencer.domain.notification.NotificationSettings;
import io.sequencer.engine.notification.NoticeSender;
import io.sequencer.engine.secret.SecretLookup;
import io.sequencer.engine.send.SendResult;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import okhttp3.OkHttpClient;

/**
 * Delivers lifecycle events to the account's notification URL: a JSON array, signed like the webhook channel, as
 * Standard Webhooks message {@link Notice#batchIdOf} (the same whenever the same events are sent again).
 */
public final class NotificationWebhook implements NoticeSender {
    private final SignedPost post;

    public NotificationWebhook(OkHttpClient http, Function<String, String> settings, Clock clock) {
        this(http, settings, SecretLookup.NONE, clock);
    }

    public NotificationWebhook(OkHttpClient http, Function<String, String> settings, SecretLookup accountSecrets,
                               Clock clock) {
        this.post = new SignedPost(http, settings, accountSecrets, clock);
    }

    public NotificationWebhook(OkHttpClient http, SecretSettings settings, SecretLookup accountSecrets, Clock clock) {
        this.post = new SignedPost(http, settings, accountSecrets, clock);
    }

    @Override
    public SendResult send(NotificationSettings settings, List<Map.Entry<EnrollmentKey, Notice>> batch) {
        ArrayNode body = Json.MAPPER.createArrayNode();
        batch.forEach(e -> body.add(NoticeJson.write(e.getKey(), e.getValue())));
        String id = Notice.batchIdOf(batch.stream().map(Map.Entry::getValue).toList());
        return post.post(settings.url().toString(), Json.write(body), settings.account(), settings.secretSetting(),
                settings.secret(), id, Map.of(), "notification url");
    }
}
