package io.sequencer.adapters.json.stored;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.limit.FrequencyCap;
import io.sequencer.domain.limit.FrequencyLimits;
import io.sequencer.domain.limit.SendLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Frequency caps as table rows. An account's caps: {@code rules} (a JSON array of {@code max}, {@code per} and
 * optionally {@code channel}), {@code over} and {@code updatedAt}. A subscriber's send log: chunked {@code sends},
 * a JSON array of {@code d} (delivery id), {@code t} (instant) and {@code c} (channel type).
 */
public final class StoredCaps {
    private StoredCaps() {}

    public static Map<String, Object> writeLimits(FrequencyLimits limits) {
        ArrayNode rules = Json.MAPPER.createArrayNode();
        for (FrequencyCap cap : limits.perSubscriber()) {
            ObjectNode rule = rules.addObject().put("max", cap.max()).put("per", cap.per().toString());
            cap.channel().ifPresent(c -> rule.put("channel", c));
        }
        return new RowWriter()
                .put("rules", Json.write(rules))
                .put("over", limits.over().wireName())
                .put("updatedAt", limits.updatedAt().toString())
                .properties();
    }

    public static FrequencyLimits readLimits(String account, Map<String, Object> properties) {
        StoredRow row = new StoredRow("frequency limits of " + account, properties);
        StoredNode rules = StoredNode.parse(row.what(), "rules", row.text("rules"));
        try {
            List<FrequencyCap> caps = new ArrayList<>();
            for (StoredNode rule : rules.elements()) {
                caps.add(new FrequencyCap((int) rule.whole("max"), rule.parsed("per", Duration::parse),
                        rule.optionalText("channel")));
            }
            return new FrequencyLimits(account, caps,
                    FrequencyLimits.Over.fromWireName(row.text("over")).orElseThrow(() ->
                            new IllegalArgumentException("over is neither hold nor skip")), row.instant("updatedAt"));
        } catch (IllegalArgumentException e) {
            throw new UnreadableStoredForm(row.what(), "limits", "cannot be read: " + e.getMessage());
        }
    }

    public static Map<String, Object> writeLog(SendLog log) {
        ArrayNode sends = Json.MAPPER.createArrayNode();
        for (SendLog.Entry e : log.entries()) {
            sends.addObject().put("d", e.deliveryId()).put("t", e.at().toString()).put("c", e.channel());
        }
        return new RowWriter().putChunked("sends", Json.write(sends)).properties();
    }

    public static SendLog readLog(String what, Map<String, Object> properties) {
        StoredRow row = new StoredRow(what, properties);
        List<SendLog.Entry> entries = new ArrayList<>();
        for (StoredNode send : StoredNode.parse(row.what(), "sends", row.chunked("sends")).elements()) {
            try {
                entries.add(new SendLog.Entry(send.text("d"), send.parsed("t", Instant::parse), send.text("c")));
            } catch (IllegalArgumentException e) {
                throw send.unreadable(e);
            }
        }
        return new SendLog(entries);
    }
}
