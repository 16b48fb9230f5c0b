package io.sequencer.adapters.json.stored;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.DataJson;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentData;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.enrollment.RoutePin;
import io.sequencer.domain.enrollment.StartEvent;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.notification.Notice;
import io.sequencer.domain.notification.NoticeType;
import io.sequencer.domain.notification.Outbox;
import io.sequencer.domain.subscriber.Engagement;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An enrollment as one table row: {@code status}, {@code epoch}, {@code cursor}, {@code enrolledAt},
 * {@code updatedAt}, chunked {@code history}; while a step is due {@code nextStepId}, {@code nextDueAt} and
 * {@code timerToken}; optionally {@code timezone}, {@code leaveReason}, {@code cause}, {@code chainDepth} (0 when
 * absent), {@code pendingEngagement} (comma-separated), the outbox ({@code outboxSequence} with chunked
 * {@code outbox}; empty when absent), the enroll's chunked {@code data} (a JSON object; none when absent) and the
 * {@code startEvent} that fired an event trigger (a JSON object), and while a step with fallback channels is being
 * sent the {@code routePin} of its delivery. Step records carry the {@code channel} they went on. Version 0 rows
 * (no {@code v}) hold the same properties; rows written before {@code data}, {@code startEvent}, {@code routePin}
 * and the records' {@code channel} existed read as having none. A life in the sequence's holdout has
 * {@code heldOut} true; rows without it (all rows written before holdouts existed) are not.
 */
public final class StoredEnrollment {
    private StoredEnrollment() {}

    public static Map<String, Object> write(Enrollment e) {
        RowWriter row = new RowWriter()
                .put("status", e.status().wireName())
                .put("epoch", e.epoch())
                .put("cursor", e.cursor())
                .put("enrolledAt", e.enrolledAt().toString())
                .put("updatedAt", e.updatedAt().toString());
        if (e.nextStepId() != null) {
            row.put("nextStepId", e.nextStepId()).put("nextDueAt", e.nextDueAt().toString())
                    .put("timerToken", e.timerToken());
        }
        row.put("timezone", e.timezone().map(z -> z.getId()))
                .put("leaveReason", e.leaveReason().map(LeaveReason::wireName))
                .put("cause", e.origin().cause());
        if (!e.pendingEngagement().isEmpty()) {
            row.put("pendingEngagement", e.pendingEngagement().stream().map(Engagement::wireName)
                    .collect(Collectors.joining(",")));
        }
        if (e.outbox().lastSequence() > 0) {
            row.put("outboxSequence", e.outbox().lastSequence())
                    .putChunked("outbox", Json.write(writeNotices(e.outbox().pending())));
        }
        if (e.origin().depth() > 0) {
            row.put("chainDepth", e.origin().depth());
        }
        if (!e.origin().data().isEmpty()) {
            row.putChunked("data", Json.write(DataJson.write(e.origin().data())));
        }
        e.origin().event().ifPresent(event -> row.put("startEvent", Json.write(writeEvent(event))));
        row.put(StoredPin.FIELD, StoredPin.write(e.routePin()));
        if (e.heldOut()) {
            row.put("heldOut", true);
        }
        return row.putChunked("history", Json.write(writeHistory(e.history()))).properties();
    }

    public static Enrollment read(EnrollmentKey key, Map<String, Object> properties) {
        StoredRow row = new StoredRow("enrollment " + key.account() + "/" + key.sequenceId() + "/"
                + key.subscriberId(), properties);
        String what = row.what();
        Set<Engagement> pending = EnumSet.noneOf(Engagement.class);
        row.optionalText("pendingEngagement").ifPresent(list -> Arrays.stream(list.split(","))
                .forEach(name -> pending.add(row.parse("pendingEngagement", name, Engagement::fromWireName))));
        Outbox outbox = row.optionalWhole("outboxSequence").map(last -> new Outbox(last,
                readNotices(StoredNode.parse(what, "outbox", row.chunked("outbox"))))).orElse(Outbox.EMPTY);
        EnrollmentData data = row.optionalWhole("data_n").isPresent()
                ? DataJson.read(StoredNode.parse(what, "data", row.chunked("data")).json()) : EnrollmentData.NONE;
        Optional<StartEvent> startEvent = row.optionalText("startEvent")
                .map(text -> readEvent(StoredNode.parse(what, "startEvent", text)));
        Optional<RoutePin> routePin = StoredPin.read(row);
        try {
            return new Enrollment(key,
                    row.parse("status", row.text("status"), EnrollmentStatus::fromWireName),
                    row.whole("epoch"),
                    row.small("cursor"),
                    row.optionalText("nextStepId").orElse(null),
                    row.optionalInstant("nextDueAt").orElse(null),
                    row.optionalText("timerToken").orElse(null),
                    row.optionalZone("timezone"),
                    new Origin(row.optionalText("cause"), row.optionalWhole("chainDepth").map(Math::toIntExact).orElse(0),
                            data, startEvent),
                    row.optionalText("leaveReason").map(r -> row.parse("leaveReason", r, LeaveReason::fromWireName)),
                    row.instant("enrolledAt"),
                    row.instant("updatedAt"),
                    readHistory(StoredNode.parse(what, "history", row.chunked("history"))),
                    pending,
                    outbox,
                    routePin, row.flag("heldOut", false));
        } catch (IllegalArgumentException e) {
            throw new UnreadableStoredForm(what, "enrollment", "cannot be read: " + e.getMessage());
        }
    }

    private static ObjectNode writeEvent(StartEvent event) {
        ObjectNode node = Json.object();
        node.put("type", event.type());
        event.name().ifPresent(n -> node.put("name", n));
        event.at().ifPresent(at -> node.put("at", at.toString()));
        event.eventId().ifPresent(id -> node.put("eventId", id));
        event.sequenceId().ifPresent(id -> node.put("sequenceId", id));
        event.stepId().ifPresent(id -> node.put("stepId", id));
        return node;
    }

    private static StartEvent readEvent(StoredNode node) {
        try {
            return new StartEvent(node.text("type"), node.optionalText("name"),
                    node.optionalText("at").map(Instant::parse), node.optionalText("eventId"),
                    node.optionalText("sequenceId"), node.optionalText("stepId"));
        } catch (DateTimeException e) {
            throw node.invalid("at", e.getMessage());
        }
    }

    private static ArrayNode writeHistory(List<StepRecord> history) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (StepRecord record : history) {
            ObjectNode node = out.addObject();
            node.put("stepId", record.stepId());
            node.put("deliveryId", record.deliveryId());
            node.put("outcome", record.outcome().wireName());
            node.put("at", record.at().toString());
            node.put("attempts", record.attempts());
            if (!record.detail().isEmpty()) {
                node.put("detail", record.detail());
            }
            if (!record.engagement().isEmpty()) {
                ArrayNode engagement = node.putArray("engagement");
                record.engagement().forEach(e -> engagement.add(e.wireName()));
            }
            record.channel().ifPresent(c -> node.put("channel", c));
            record.variant().ifPresent(v -> node.put("variant", v));
        }
        return out;
    }

    /**
     * Step records; one without {@code detail} has none, one without {@code engagement} heard of none, one without
     * {@code channel} (written before steps could fall back) names no channel; one without {@code variant} was of a
     * step without variants.
     */
    private static List<StepRecord> readHistory(StoredNode in) {
        List<StepRecord> history = new ArrayList<>();
        for (StoredNode node : in.elements()) {
            Set<Engagement> engagement = EnumSet.noneOf(Engagement.class);
            node.elements("engagement").forEach(e -> engagement.add(Engagement.fromWireName(e.text())));
            try {
                history.add(new StepRecord(node.text("stepId"), node.text("deliveryId"),
                        node.parsed("outcome", StepOutcome::fromWireName), node.parsed("at", Instant::parse),
                        Math.toIntExact(node.whole("attempts")), node.optionalText("detail").orElse(""), engagement,
                        node.optionalText("channel"), node.optionalText("variant")));
            } catch (IllegalArgumentException e) {
                throw node.unreadable(e);
            }
        }
        return history;
    }

    private static ArrayNode writeNotices(List<Notice> notices) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Notice notice : notices) {
            ObjectNode node = out.addObject();
            node.put("eventId", notice.eventId());
            node.put("type", notice.type().wireName());
            node.put("sequence", notice.sequence());
            node.put("occurredAt", notice.occurredAt().toString());
            node.put("epoch", notice.epoch());
            notice.stepId().ifPresent(s -> node.put("stepId", s));
            notice.deliveryId().ifPresent(d -> node.put("deliveryId", d));
            notice.detail().ifPresent(d -> node.put("detail", d));
            notice.channel().ifPresent(c -> node.put("channel", c));
            notice.variant().ifPresent(v -> node.put("variant", v));
        }
        return out;
    }

    private static List<Notice> readNotices(StoredNode in) {
        List<Notice> notices = new ArrayList<>();
        for (StoredNode node : in.elements()) {
            try {
                notices.add(new Notice(node.whole("sequence"), node.text("eventId"),
                        node.parsed("type", name -> NoticeType.fromWireName(name)
                                .orElseThrow(() -> new IllegalArgumentException("unknown notice type " + name))),
                        node.parsed("occurredAt", Instant::parse), node.whole("epoch"), node.optionalText("stepId"),
                        node.optionalText("deliveryId"), node.optionalText("detail"), node.optionalText("channel"),
                        node.optionalText("variant")));
            } catch (IllegalArgumentException e) {
                throw node.unreadable(e);
            }
        }
        return notices;
    }
}
