package io.sequencer.adapters.json.stored;

import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.subscriber.MarketingOptIn;
import io.sequencer.domain.subscriber.OptInReport;
import io.sequencer.domain.subscriber.SubscriberEvent;
import io.sequencer.domain.subscriber.TimelineEntry;
import java.util.Map;
import java.util.Optional;

/**
 * A reported event as one row of the event log: {@code type} and {@code at} (when it was recorded), optionally
 * {@code eventAt}, {@code deliveryId}, {@code sequenceId}, {@code stepId}, {@code name}, {@code eventId} and
 * {@code watermark}; an opt-in's {@code optinStatus}, {@code optinExpiresAt} and {@code optinFrequency}, never its
 * token (a credential: the timeline shows only what the opt-in said). Version 0 rows (no {@code v}) hold the same
 * properties.
 */
public final class StoredEvent {
    private StoredEvent() {}

    public static Map<String, Object> write(TimelineEntry.Reported reported) {
        SubscriberEvent event = reported.event();
        return new RowWriter()
                .put("type", event.type().wireName())
                .put("at", reported.at().toString())
                .put("eventAt", event.at())
                .put("deliveryId", event.deliveryId())
                .put("sequenceId", event.sequenceId())
                .put("stepId", event.stepId())
                .put("name", event.name())
                .put("eventId", event.eventId())
                .put("watermark", event.watermark())
                .put("optinStatus", event.optin().map(o -> o.status().name()))
                .put("optinExpiresAt", event.optin().flatMap(OptInReport::expiresAt))
                .put("optinFrequency", event.optin().flatMap(OptInReport::frequency).map(Enum::name))
                .properties();
    }

    /** {@code row} (the row's key) only names the row in errors. */
    public static TimelineEntry.Reported read(String subscriberId, String row, Map<String, Object> properties) {
        StoredRow stored = new StoredRow("event of " + subscriberId + " " + row, properties);
        EventType type = stored.parse("type", stored.text("type"), name -> EventType.fromWireName(name)
                .orElseThrow(() -> new IllegalArgumentException("unknown event type " + name)));
        try {
            return new TimelineEntry.Reported(stored.instant("at"), new SubscriberEvent(subscriberId, type,
                    stored.optionalText("deliveryId"), stored.optionalText("sequenceId"), stored.optionalText("stepId"),
                    stored.optionalText("name"), stored.optionalInstant("eventAt"), stored.optionalText("eventId"),
                    stored.optionalInstant("watermark"), type == EventType.OPTIN ? Optional.of(optin(stored))
                            : Optional.empty()));
        } catch (IllegalArgumentException e) {
            throw new UnreadableStoredForm(stored.what(), "event", "cannot be read: " + e.getMessage());
        }
    }

    /** An opt-in as the log keeps it: what it said, without its token; an unknown status or frequency reads as none. */
    private static OptInReport optin(StoredRow stored) {
        return new OptInReport(Optional.empty(), stored.optionalInstant("optinExpiresAt"),
                stored.optionalText("optinFrequency").flatMap(MarketingOptIn.Frequency::fromWireName),
                stored.optionalText("optinStatus").flatMap(s -> s.equals(MarketingOptIn.Status.OPTED_IN.name())
                        ? Optional.of(MarketingOptIn.Status.OPTED_IN) : MarketingOptIn.Status.fromWireName(s))
                        .orElse(MarketingOptIn.Status.OPTED_IN));
    }
}
