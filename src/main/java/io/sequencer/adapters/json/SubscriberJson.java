package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Resubscription;
import io.sequencer.domain.subscriber.Subscriber;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Maps subscriber profiles, profile changes and batch enrollments to and from the HTTP API's JSON. */
public final class SubscriberJson {
    /** Entries one batch request may carry. */
    public static final int MAX_BATCH = 1_000;
    private static final Set<String> ADD = Set.of("subscriberId", "timezone", "attributes", "resubscribedAt");
    private static final Set<String> BATCH_ENTRY = Set.of("subscriberId", "timezone", "attributes", "data");
    private static final Set<String> PATCH = Set.of("timezone", "attributes");
    private static final Set<String> BATCH = Set.of("subscribers");

    private SubscriberJson() {}

    /** A profile change: attributes to set (or, when empty, remove) and an optional new time zone. */
    public record ProfileChange(String subscriberId, Optional<ZoneId> timezone,
                                Map<String, Optional<AttributeValue>> attributes) {}

    /** An add: the profile change, and a re-subscription when the subscriber asked to receive messages again. */
    public record Addition(ProfileChange change, Optional<Resubscription> resubscription) {}

    /** Reads {@code {"subscriberId", "timezone"?, "attributes"?, "resubscribedAt"?}}. */
    public static Addition parseAdd(String body) {
        FieldReader in = new FieldReader();
        JsonNode root = rootObject(body, in);
        in.rejectUnknown(root, "", ADD);
        String id = in.id(root, "subscriberId", "subscriberId");
        ProfileChange change = change(root, id, in, false);
        Optional<Resubscription> resubscription = in.instant(root, "resubscribedAt", "resubscribedAt")
                .map(at -> new Resubscription(at, "resubscribedAt"));
        in.throwIfInvalid();
        return new Addition(change, resubscription);
    }

    /** Reads {@code {"timezone"?, "attributes"?}}; a null attribute removes it. */
    public static ProfileChange parsePatch(String subscriberId, String body) {
        FieldReader in = new FieldReader();
        JsonNode root = rootObject(body, in);
        in.rejectUnknown(root, "", PATCH);
        ProfileChange change = change(root, subscriberId, in, true);
        in.throwIfInvalid();
        return change;
    }

    private static ProfileChange change(JsonNode root, String id, FieldReader in, boolean allowRemoval) {
        Optional<ZoneId> timezone = TimingJson.timezone(root, "timezone", "timezone", in);
        JsonNode attributesNode = root.get("attributes");
        Map<String, Optional<AttributeValue>> attributes = attributesNode == null || attributesNode.isNull() ? Map.of()
                : AttributesJson.parse(attributesNode, "attributes", in, allowRemoval);
        return new ProfileChange(id, timezone, attributes == null ? Map.of() : attributes);
    }

    /** One entry of a batch enroll: the parsed entry, or the problem that rejects it alone. */
    public record BatchEntry(String subscriberId, Optional<EnrollmentJson.EnrollBody> body,
                             Optional<Invalid> problem) {}

    /**
     * Reads {@code {"subscribers": [{"subscriberId", "timezone"?, "attributes"?, "data"?}, ...]}}. A bad entry is returned
     * with its problem (its fields named {@code subscribers[i].…}) so the others still go ahead; only a body that
     * is not such a list at all is rejected whole.
     */
    public static List<BatchEntry> parseBatch(String body) {
        FieldReader top = new FieldReader();
        JsonNode root = rootObject(body, top);
        top.rejectUnknown(root, "", BATCH);
        JsonNode list = root.get("subscribers");
        if (list == null || !list.isArray() || list.isEmpty()) {
            top.fail("subscribers", "must be a non-empty array");
        } else if (list.size() > MAX_BATCH) {
            top.fail("subscribers", "must have at most " + MAX_BATCH + " entries");
        }
        top.throwIfInvalid();
        List<BatchEntry> entries = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String path = "subscribers[" + i + "]";
            FieldReader in = new FieldReader();
            JsonNode entry = in.object(list.get(i), path, true);
            String id = null;
            EnrollmentJson.EnrollBody parsed = null;
            if (entry != null) {
                in.rejectUnknown(entry, path, BATCH_ENTRY);
                id = in.id(entry, "subscriberId", path + ".subscriberId");
                parsed = EnrollmentJson.enrollFields(entry, path, in);
            }
            try {
                in.throwIfInvalid();
                entries.add(new BatchEntry(id, Optional.of(parsed), Optional.empty()));
            } catch (Invalid invalid) {
                entries.add(new BatchEntry(id, Optional.empty(), Optional.of(invalid)));
            }
        }
        return entries;
    }

    private static JsonNode rootObject(String body, FieldReader in) {
        JsonNode root = Json.parseBody(body);
        if (in.object(root, "body", true) == null) {
            in.throwIfInvalid();
        }
        return root;
    }

    public static ObjectNode write(Subscriber subscriber) {
        ObjectNode out = Json.object();
        out.put("subscriberId", subscriber.id());
        out.put("account", subscriber.account());
        out.put("optedOut", subscriber.optedOut());
        subscriber.optedOutAt().ifPresent(at -> out.put("optedOutAt", at.toString()));
        subscriber.timezone().ifPresent(z -> out.put("timezone", z.getId()));
        out.set("attributes", AttributesJson.write(subscriber.attributes()));
        ArrayNode sequences = out.putArray("sequences");
        subscriber.sequences().forEach(sequences::add);
        out.put("createdAt", subscriber.createdAt().toString());
        out.put("updatedAt", subscriber.updatedAt().toString());
        return out;
    }
}
