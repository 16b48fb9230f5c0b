package io.sequencer.domain.subscriber;

import io.sequencer.domain.Ids;
import io.sequencer.domain.Invalid;
import java.time.Instant;
import java.util.Optional;

/**
 * Something a subscriber did, as the host reports it. Engagement with one sent step names it by
 * {@code deliveryId} (or {@code sequenceId} + {@code stepId}); a read {@code watermark} says every step sent up
 * to then was read; an {@code optin} event carries its Marketing Messages report. {@code identity} is what makes two
 * reports the same event.
 */
public record SubscriberEvent(
        String subscriberId,
        EventType type,
        Optional<String> deliveryId,
        Optional<String> sequenceId,
        Optional<String> stepId,
        Optional<String> name,
        Optional<Instant> at,
        Optional<String> eventId,
        Optional<Instant> watermark,
        Optional<OptInReport> optin) {

    public static final int MAX_NAME = 200;

    /** An event without a Marketing Messages report (every type but {@link EventType#OPTIN}). */
    public SubscriberEvent(String subscriberId, EventType type, Optional<String> deliveryId, Optional<String> sequenceId,
                           Optional<String> stepId, Optional<String> name, Optional<Instant> at, Optional<String> eventId,
                           Optional<Instant> watermark) {
        this(subscriberId, type, deliveryId, sequenceId, stepId, name, at, eventId, watermark, Optional.empty());
    }

    public SubscriberEvent {
        Ids.require("subscriberId", subscriberId);
        if (type == null || deliveryId == null || sequenceId == null || stepId == null || name == null || at == null
                || eventId == null || watermark == null || optin == null) {
            throw new IllegalArgumentException("type is required; the rest may be empty, not null");
        }
        sequenceId.ifPresent(id -> Ids.require("sequenceId", id));
        stepId.ifPresent(id -> Ids.require("stepId", id));
        eventId.ifPresent(id -> Ids.require("eventId", id));
        if (type == EventType.RESUBSCRIBED && at.isEmpty()) {
            throw new Invalid("at", "is required on a resubscribed event: when the subscriber asked to receive messages again");
        }
        if (watermark.isPresent() && type != EventType.READ) {
            throw new Invalid("watermark", "only a read event carries a watermark");
        }
        if (optin.isPresent() != (type == EventType.OPTIN)) {
            throw new Invalid("optin", "an optin event, and only it, carries the opt-in");
        }
    }

    /** The event's identity: its {@code eventId}, else what it says (subscriber, type, delivery or step, name). */
    public String identity() {
        return eventId.map(id -> "id:" + id).orElseGet(() -> String.join("|", type.wireName(),
                deliveryId.orElse(""), sequenceId.orElse(""), stepId.orElse(""), name.orElse(""),
                watermark.map(Instant::toString).orElse(""))
                // An opt-in's stop and resume differ only here; its token never enters the identity (it is logged).
                + optin.map(o -> "|" + o.status().name() + "@" + o.expiresAt().map(Instant::toString).orElse(""))
                        .orElse(""));
    }
}
