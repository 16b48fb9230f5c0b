package io.sequencer.adapters.json.stored;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Attributes;
import io.sequencer.domain.subscriber.Conversation;
import io.sequencer.domain.subscriber.Subscriber;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A subscriber as one table row: {@code optedOut}, {@code createdAt}, {@code updatedAt}, chunked
 * {@code attributes} and {@code sequences}; optionally {@code timezone}, {@code optedOutAt} and the conversation's
 * {@code lastInteractionAt}, {@code agentActiveSince}, {@code agentEndedAt}. Version 0 rows (no {@code v}) hold
 * the same properties. Attributes are read without the API's limits on names, counts or lengths.
 */
public final class StoredSubscriber {
    private StoredSubscriber() {}

    public static Map<String, Object> write(Subscriber s) {
        ObjectNode attributes = Json.object();
        s.attributes().values().forEach((name, value) -> attributes.set(name, StoredCondition.writeValue(value)));
        ArrayNode sequences = Json.MAPPER.createArrayNode();
        s.sequences().forEach(sequences::add);
        return new RowWriter()
                .put("optedOut", s.optedOut())
                .put("createdAt", s.createdAt().toString())
                .put("updatedAt", s.updatedAt().toString())
                .put("timezone", s.timezone().map(z -> z.getId()))
                .put("optedOutAt", s.optedOutAt())
                .put("lastInteractionAt", s.conversation().lastInteractionAt())
                .put("agentActiveSince", s.conversation().agentActiveSince())
                .put("agentEndedAt", s.conversation().agentEndedAt())
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
                            row.optionalInstant("agentEndedAt")),
                    row.instant("createdAt"), updatedAt);
        } catch (IllegalArgumentException e) {
            throw new UnreadableStoredForm(row.what(), "subscriber", "cannot be read: " + e.getMessage());
        }
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
