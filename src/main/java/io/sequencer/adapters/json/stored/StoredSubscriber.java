package io.sequencer.adapters.json.stored;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Attributes;
import io.sequencer.domain.subscriber.Conversation;
import io.sequencer.domain.subscriber.MarketingOptIn;
import io.sequencer.domain.subscriber.Subscriber;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A subscriber as one table row: {@code optedOut}, {@code createdAt}, {@code updatedAt}, chunked
 * {@code attributes} and {@code sequences}; optionally {@code timezone}, {@code optedOutAt} and the conversation's
 * {@code lastInteractionAt}, {@code agentActiveSince}, {@code agentEndedAt}, and a Marketing Messages opt-in:
 * {@code marketingToken}, {@code marketingReportedAt}, {@code marketingStopped}, optionally
 * {@code marketingExpiresAt}, {@code marketingFrequency} and {@code marketingRefused} (rows written before opt-ins
 * were kept have none). Version 0 rows (no {@code v}) hold the same properties. Attributes are read without the
 * API's limits on names, counts or lengths; an unknown frequency reads as none.
 */
public final class StoredSubscriber {
    private StoredSubscriber() {}

    public static Map<String, Object> write(Subscriber s) {
        ObjectNode attributes = Json.object();
        s.attributes().values().forEach((name, value) -> attributes.set(name, StoredCondition.writeValue(value)));
        ArrayNode sequences = Json.MAPPER.createArrayNode();
        s.sequences().forEach(sequences::add);
        Optional<MarketingOptIn> marketing = s.conversation().marketing();
        return new RowWriter()
                .put("optedOut", s.optedOut())
                .put("createdAt", s.createdAt().toString())
                .put("updatedAt", s.updatedAt().toString())
                .put("timezone", s.timezone().map(z -> z.getId()))
                .put("optedOutAt", s.optedOutAt())
                .put("lastInteractionAt", s.conversation().lastInteractionAt())
                .put("agentActiveSince", s.conversation().agentActiveSince())
                .put("agentEndedAt", s.conversation().agentEndedAt())
                .put("marketingToken", marketing.map(MarketingOptIn::token))
                .put("marketingReportedAt", marketing.map(MarketingOptIn::reportedAt))
                .put("marketingStopped", marketing.map(MarketingOptIn::stopped))
                .put("marketingExpiresAt", marketing.flatMap(MarketingOptIn::expiresAt))
                .put("marketingFrequency", marketing.flatMap(MarketingOptIn::frequency).map(Enum::name))
                .put("marketingRefused", marketing.flatMap(MarketingOptIn::refused))
                .putChunked("attributes", Json.write(attributes))
                .putChunked("sequences", Json.write(sequences))
                .properties();
    }

    public static Subscriber read(String account, String subscriberId, Map<String, Object> properties) {
        StoredRow row = new StoredRow("subscriber " + account + "/" + subscriberId, properties);
        StoredNode attributesNode = StoredNode.parse(row.what(), "attributes", row.chunked("attributes"));
        Map<String, Optional<AttributeValue>> values = new LinkedHashMap<>();
        attributesNode.json().fieldNames().forEachRemaining(name ->
                values.put(name, Optional.of(StoredCondition.readValue(attributesNode.child(name)))));
        List<String> sequences = StoredNode.parse(row.what(), "sequences", row.chunked("sequences")).elements()
                .stream().map(StoredNode::text).toList();
        Instant updatedAt = row.instant("updatedAt");
        try {
            return new Subscriber(account, subscriberId, Attributes.NONE.updatedBy(values), row.optionalZone("timezone"),
                    sequences, optedOutAt(row, updatedAt),
                    new Conversation(row.optionalInstant("lastInteractionAt"), row.optionalInstant("agentActiveSince"),
                            row.optionalInstant("agentEndedAt"), marketing(row)),
                    row.instant("createdAt"), updatedAt);
        } catch (IllegalArgumentException e) {
            throw new UnreadableStoredForm(row.what(), "subscriber", "cannot be read: " + e.getMessage());
        }
    }

    private static Optional<MarketingOptIn> marketing(StoredRow row) {
        return row.optionalText("marketingToken").map(token -> new MarketingOptIn(token,
                row.optionalInstant("marketingExpiresAt"),
                row.optionalText("marketingFrequency").flatMap(MarketingOptIn.Frequency::fromWireName),
                row.flag("marketingStopped", false), row.instant("marketingReportedAt"),
                row.optionalText("marketingRefused")));
    }

    /**
     * When the subscriber opted out. A row written before opt-outs kept their time has only the flag: its last
     * update stands in, the latest the opt-out can have been, so no re-subscription older than it lifts it.
     */
    private static Optional<Instant> optedOutAt(StoredRow row, Instant updatedAt) {
        if (!row.flag("optedOut", false)) {
            return Optional.empty();
        }
        return row.optionalInstant("optedOutAt").or(() -> Optional.of(updatedAt));
    }
}
