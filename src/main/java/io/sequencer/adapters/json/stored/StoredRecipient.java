package io.sequencer.adapters.json.stored;

import io.sequencer.domain.broadcast.Recipient;
import io.sequencer.domain.subscriber.Engagement;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * One recipient of a broadcast as a table row: {@code dueAt}, {@code state}, {@code attempts}, and optionally
 * {@code claimUntil}, {@code detail} (its first 1,000 characters), {@code settledAt} and {@code engagement}
 * (comma-separated, sorted), the {@code routePin} of a broadcast with fallback channels and the {@code channel} a
 * settled send went on. Version 0 rows (no {@code v}) hold the same properties; rows written before broadcasts had
 * fallback channels have neither of the last two.
 */
public final class StoredRecipient {
    static final int MAX_DETAIL = 1_000;

    private StoredRecipient() {}

    public static Map<String, Object> write(Recipient r) {
        RowWriter row = new RowWriter()
                .put("dueAt", r.dueAt().toString())
                .put("state", r.state().name())
                .put("attempts", r.attempts())
                .put("claimUntil", r.claimUntil())
                .put("detail", r.detail().map(d -> d.length() > MAX_DETAIL ? d.substring(0, MAX_DETAIL) : d))
                .put("settledAt", r.settledAt())
                .put(StoredPin.FIELD, StoredPin.write(r.pin()))
                .put("channel", r.channel());
        if (!r.engagement().isEmpty()) {
            row.put("engagement", String.join(",", r.engagement().stream().map(Engagement::wireName).sorted().toList()));
        }
        return row.properties();
    }

    public static Recipient read(String account, String broadcastId, String subscriberId, Map<String, Object> properties) {
        StoredRow row = new StoredRow("recipient " + subscriberId + " of broadcast " + account + "/" + broadcastId,
                properties);
        Set<Engagement> engagement = EnumSet.noneOf(Engagement.class);
        row.optionalText("engagement").ifPresent(list -> {
            for (String name : list.split(",")) {
                engagement.add(row.parse("engagement", name, Engagement::fromWireName));
            }
        });
        try {
            return new Recipient(account, broadcastId, subscriberId, row.instant("dueAt"),
                    row.parse("state", row.text("state"), Recipient.State::valueOf), row.optionalInstant("claimUntil"),
                    row.small("attempts"), row.optionalText("detail"), row.optionalInstant("settledAt"), engagement,
                    StoredPin.read(row), row.optionalText("channel"));
        } catch (IllegalArgumentException e) {
            throw new UnreadableStoredForm(row.what(), "recipient", "cannot be read: " + e.getMessage());
        }
    }
}
