package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.subscriber.OptInReport;
import io.sequencer.domain.subscriber.SubscriberEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Reads subscriber events reported by the host: one object, or an array of up to {@link #MAX_EVENTS}. */
public final class EventJson {
    public static final int MAX_EVENTS = 1_000;
    private static final Set<String> FIELDS = Set.of("subscriberId", "type", "deliveryId", "sequenceId", "stepId",
            "name", "at", "eventId", "watermark", "optin");
    private static final Pattern DELIVERY_ID = Pattern.compile("dlv_[0-9a-f]{32}");
    private static final String TYPES = Arrays.stream(EventType.values()).map(EventType::wireName)
            .collect(Collectors.joining(", "));

    private EventJson() {}

    /** One reported event: parsed, or the problem that rejects it alone. */
    public record Entry(Optional<SubscriberEvent> event, Optional<Invalid> problem) {}

    /**
     * Parses the body; a bad entry is returned with its problem (fields named {@code [i].…} in an array) so the
     * others still count. Only a body that is neither an object nor an array of objects is rejected whole.
     */
    public static List<Entry> parse(String body) {
        JsonNode root = Json.parseBody(body);
        if (root.isObject()) {
            return List.of(entry(root, ""));
        }
        if (!root.isArray() || root.isEmpty()) {
            throw new Invalid("body", "must be an event object or a non-empty array of them");
        }
        if (root.size() > MAX_EVENTS) {
            throw new Invalid("body", "must hold at most " + MAX_EVENTS + " events");
        }
        List<Entry> entries = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            entries.add(entry(root.get(i), "[" + i + "]"));
        }
        return entries;
    }

    private static Entry entry(JsonNode node, String path) {
        FieldReader in = new FieldReader();
        String prefix = path.isEmpty() ? "" : path + ".";
        if (in.object(node, path.isEmpty() ? "body" : path, true) == null) {
            return new Entry(Optional.empty(), Optional.of(new Invalid(path.isEmpty() ? "body" : path, "must be a JSON object")));
        }
        in.rejectUnknown(node, path, FIELDS);
        String subscriberId = in.id(node, "subscriberId", prefix + "subscriberId");
        String typeName = in.string(node, "type", prefix + "type", true, 32);
        Optional<EventType> type = typeName == null ? Optional.empty() : EventType.fromWireName(typeName);
        if (typeName != null && type.isEmpty()) {
            in.fail(prefix + "type", "must be one of " + TYPES);
        }
        Optional<String> deliveryId = Optional.ofNullable(in.string(node, "deliveryId", prefix + "deliveryId", false, 64));
        if (deliveryId.isPresent() && !DELIVERY_ID.matcher(deliveryId.get()).matches()) {
            in.fail(prefix + "deliveryId", "is not a delivery id Sequencer issued (dlv_ and 32 hex digits)");
        }
        Optional<String> sequenceId = optionalId(node, "sequenceId", prefix, in);
        Optional<String> stepId = optionalId(node, "stepId", prefix, in);
        Optional<String> eventId = optionalId(node, "eventId", prefix, in);
        Optional<String> name = Optional.ofNullable(in.string(node, "name", prefix + "name", false, SubscriberEvent.MAX_NAME));
        Optional<Instant> at = instant(node, "at", prefix, in);
        Optional<Instant> watermark = instant(node, "watermark", prefix, in);
        if (watermark.isPresent() && type.isPresent() && type.get() != EventType.READ) {
            in.fail(prefix + "watermark", "only a read event carries a watermark");
        }
        boolean atGiven = node.get("at") != null && !node.get("at").isNull();
        if (type.filter(t -> t == EventType.RESUBSCRIBED).isPresent() && !atGiven) {
            // Without its time a repeated or late report could not be told from a new one, and would undo an opt-out.
            in.fail(prefix + "at", "is required on a resubscribed event: when the subscriber asked to receive "
                    + "messages again");
        }
        boolean isOptin = type.filter(t -> t == EventType.OPTIN).isPresent();
        Optional<OptInReport> optin = Optional.empty();
        if (isOptin) {
            optin = OptInJson.read(node.get("optin"), prefix + "optin", in);
        } else if (node.hasNonNull("optin") && type.isPresent()) {
            in.fail(prefix + "optin", "only an optin event carries an opt-in");
        }
        if (stepId.isPresent() && sequenceId.isEmpty() && deliveryId.isEmpty()) {
            in.fail(prefix + "stepId", "needs sequenceId (step ids are only unique within a sequence)");
        }
        if (in.hasErrors()) {
            try {
                in.throwIfInvalid();
            } catch (Invalid invalid) {
                return new Entry(Optional.empty(), Optional.of(invalid));
            }
        }
        return new Entry(Optional.of(new SubscriberEvent(subscriberId, type.orElseThrow(), deliveryId, sequenceId,
                stepId, name, at, eventId, watermark, optin)), Optional.empty());
    }

    private static Optional<String> optionalId(JsonNode node, String field, String prefix, FieldReader in) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.ofNullable(in.id(node, field, prefix + field));
    }

    private static Optional<Instant> instant(JsonNode node, String field, String prefix, FieldReader in) {
        return in.instant(node, field, prefix + field);
    }
}
