package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.notification.NoticeType;
import io.sequencer.domain.notification.NotificationSettings;
import java.net.URI;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Maps an account's notification settings to and from the HTTP API's JSON. */
public final class NotificationJson {
    private static final Set<String> FIELDS = Set.of("url", "secretSetting", "secret", "events");
    private static final Set<String> READ_ONLY = Set.of("account", "status", "createdAt", "updatedAt", "lastError",
            "failingSince", "lastDeliveredAt");
    private static final String TYPES = Arrays.stream(NoticeType.values()).map(NoticeType::wireName)
            .collect(Collectors.joining(", "));

    private NotificationJson() {}

    /**
     * What a PUT asks for: where, signed with which secret (an app setting's or the account's own), which events
     * (all when absent).
     */
    public record Request(URI url, Optional<String> secretSetting, Set<NoticeType> events, Optional<String> secret) {
        public Request(URI url, Optional<String> secretSetting, Set<NoticeType> events) {
            this(url, secretSetting, events, Optional.empty());
        }
    }

    public static Request parse(String body) {
        JsonNode root = Json.parseBody(body);
        FieldReader in = new FieldReader();
        if (in.object(root, "body", true) == null) {
            in.throwIfInvalid();
        }
        Set<String> known = new java.util.HashSet<>(FIELDS);
        known.addAll(READ_ONLY);
        in.rejectUnknown(root, "", known);
        String url = in.string(root, "url", "url", true, 2048);
        URI uri = url == null ? null : ChannelJson.webhookUrl(url, "url", in);
        ChannelJson.Credential signing = ChannelJson.credential(root, "secretSetting", "secret", "", false, in);
        Set<NoticeType> events = EnumSet.allOf(NoticeType.class);
        JsonNode list = root.get("events");
        if (list != null && !list.isNull()) {
            events = EnumSet.noneOf(NoticeType.class);
            if (!list.isArray() || list.isEmpty()) {
                in.fail("events", "must be a non-empty array of event types");
            } else {
                for (int i = 0; i < list.size(); i++) {
                    Optional<NoticeType> type = list.get(i).isTextual()
                            ? NoticeType.fromWireName(list.get(i).textValue()) : Optional.empty();
                    if (type.isEmpty()) {
                        in.fail("events[" + i + "]", "must be one of " + TYPES);
                    } else {
                        events.add(type.get());
                    }
                }
            }
        }
        in.throwIfInvalid();
        return new Request(uri, signing.setting(), events, signing.secret());
    }

    public static ObjectNode write(NotificationSettings settings) {
        ObjectNode out = Json.object();
        out.put("account", settings.account());
        out.put("url", settings.url().toString());
        settings.secretSetting().ifPresent(s -> out.put("secretSetting", s));
        settings.secret().ifPresent(s -> out.put("secret", s));
        ArrayNode events = out.putArray("events");
        settings.events().forEach(t -> events.add(t.wireName()));
        out.put("status", settings.isFailing() ? "failing" : settings.lastDeliveredAt().isPresent() ? "delivering" : "idle");
        settings.lastError().ifPresent(e -> out.put("lastError", e));
        settings.failingSince().ifPresent(t -> out.put("failingSince", t.toString()));
        settings.lastDeliveredAt().ifPresent(t -> out.put("lastDeliveredAt", t.toString()));
        out.put("createdAt", settings.createdAt().toString());
        out.put("updatedAt", settings.updatedAt().toString());
        return out;
    }
}
