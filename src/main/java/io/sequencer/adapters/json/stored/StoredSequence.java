package io.sequencer.adapters.json.stored;

import io.sequencer.adapters.json.Json;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.SequenceStatus;
import java.util.Map;

/**
 * A sequence definition as one table row. Version 0 (before rows carried {@code v}) and version 1 hold the same
 * properties: {@code sequenceId}, {@code name}, {@code version}, {@code status}, {@code channel}, chunked
 * {@code steps}, {@code createdAt}, {@code updatedAt}, and optionally {@code timezone}, {@code sendWindow} and
 * {@code rules}. Reading applies none of the API's request rules, so tightening them never makes a stored
 * sequence unreadable.
 */
public final class StoredSequence {
    private StoredSequence() {}

    public static Map<String, Object> write(Sequence sequence, StoredChannelForms channels) {
        return new RowWriter()
                .put("sequenceId", sequence.id())
                .put("name", sequence.name())
                .put("version", sequence.version())
                .put("status", sequence.status().wireName())
                .put("channel", Json.write(channels.write(sequence.channel())))
                .put("createdAt", sequence.createdAt().toString())
                .put("updatedAt", sequence.updatedAt().toString())
                .putChunked("steps", Json.write(StoredSteps.write(sequence.steps(), channels)))
                .put("timezone", sequence.timezone().map(z -> z.getId()))
                .put("sendWindow", sequence.sendWindow().map(w -> Json.write(StoredTiming.writeWindow(w))))
                .put("rules", Json.write(StoredRules.writeSequenceRules(sequence.rules())))
                .properties();
    }

    /**
     * The sequence stored under {@code account} with {@code properties}, whichever version wrote them; {@code row}
     * (the row's key) only names the row in errors.
     */
    public static Sequence read(String account, String row, Map<String, Object> properties,
                                StoredChannelForms channels) {
        return read(new StoredRow("sequence " + account + "/" + row, properties), account, channels);
    }

    private static Sequence read(StoredRow row, String account, StoredChannelForms channels) {
        String what = row.what();
        try {
            return new Sequence(account,
                    row.text("sequenceId"),
                    row.text("name"),
                    StoredSteps.read(StoredNode.parse(what, "steps", row.chunked("steps")), channels),
                    channels.read(StoredNode.parse(what, "channel", row.text("channel"))),
                    row.optionalZone("timezone"),
                    row.optionalText("sendWindow").map(w -> StoredTiming.readWindow(StoredNode.parse(what, "sendWindow", w))),
                    row.optionalText("rules").map(r -> StoredRules.readSequenceRules(StoredNode.parse(what, "rules", r)))
                            .orElse(SequenceRules.NONE),
                    row.parse("status", row.text("status"), SequenceStatus::fromWireName),
                    row.whole("version"),
                    row.instant("createdAt"),
                    row.instant("updatedAt"));
        } catch (IllegalArgumentException e) {
            throw new UnreadableStoredForm(what, "definition", "cannot be read: " + e.getMessage());
        }
    }
}
