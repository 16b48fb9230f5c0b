package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.notification.NoticeType;
import io.sequencer.domain.subscriber.SubscriberEvent;
import io.sequencer.domain.subscriber.TimelineEntry;
import io.sequencer.engine.subscriber.TimelinePage;

/**
 * A page of a subscriber's timeline as the HTTP API shows it. Lifecycle entries use the names lifecycle
 * notifications use ({@code enrollment.started}, {@code step.sent}, ...); a reported event is {@code event}.
 */
public final class TimelineJson {
    /** A step waiting for its destination's circuit (no notification is sent for it: it is a state, not an event). */
    static final String STEP_DEFERRED = "step.deferred";

    private TimelineJson() {}

    public static ObjectNode write(String subscriberId, TimelinePage page) {
        ObjectNode out = Json.object();
        out.put("subscriberId", subscriberId);
        ArrayNode entries = out.putArray("entries");
        page.entries().forEach(entry -> entries.add(write(entry)));
        if (page.continuation().isPresent()) {
            out.put("continuation", page.continuation().get());
        } else {
            out.putNull("continuation");
        }
        return out;
    }

    static ObjectNode write(TimelineEntry entry) {
        ObjectNode out = Json.object();
        out.put("at", entry.at().toString());
        if (entry instanceof TimelineEntry.Started started) {
            out.put("type", NoticeType.ENROLLMENT_STARTED.wireName());
            out.put("sequenceId", started.sequenceId());
            out.put("epoch", started.epoch());
            started.startedBy().ifPresent(cause -> out.put("startedBy", cause));
        } else if (entry instanceof TimelineEntry.StepDone done) {
            writeStep(out, done);
        } else if (entry instanceof TimelineEntry.Completed completed) {
            out.put("type", NoticeType.ENROLLMENT_COMPLETED.wireName());
            out.put("sequenceId", completed.sequenceId());
        } else if (entry instanceof TimelineEntry.Left left) {
            out.put("type", NoticeType.ENROLLMENT_LEFT.wireName());
            out.put("sequenceId", left.sequenceId());
            out.put("reason", left.reason().wireName());
        } else if (entry instanceof TimelineEntry.Deferred deferred) {
            out.put("type", STEP_DEFERRED);
            out.put("sequenceId", deferred.sequenceId());
            EnrollmentJson.writeDeferred(out, deferred.step());
        } else if (entry instanceof TimelineEntry.Reported reported) {
            writeEvent(out, reported.event());
        }
        return out;
    }

    private static void writeStep(ObjectNode out, TimelineEntry.StepDone done) {
        StepRecord step = done.step();
        out.put("type", switch (step.outcome()) {
            case SENT -> NoticeType.STEP_SENT.wireName();
            case FAILED -> NoticeType.STEP_FAILED.wireName();
            case SKIPPED -> NoticeType.STEP_SKIPPED.wireName();
        });
        out.put("sequenceId", done.sequenceId());
        out.put("stepId", step.stepId());
        out.put("deliveryId", step.deliveryId());
        out.put("attempts", step.attempts());
        if (!step.detail().isEmpty()) {
            out.put("detail", step.detail());
            if (step.outcome() == StepOutcome.SKIPPED) {
                out.put("reason", step.detail()); // as a step.skipped notification says it
            }
        }
        if (!step.engagement().isEmpty()) {
            ArrayNode engagement = out.putArray("engagement");
            step.engagement().forEach(e -> engagement.add(e.wireName()));
        }
    }

    private static void writeEvent(ObjectNode out, SubscriberEvent event) {
        out.put("type", "event");
        event.sequenceId().ifPresent(v -> out.put("sequenceId", v));
        event.stepId().ifPresent(v -> out.put("stepId", v));
        event.deliveryId().ifPresent(v -> out.put("deliveryId", v));
        ObjectNode reported = out.putObject("event");
        reported.put("type", event.type().wireName());
        event.name().ifPresent(v -> reported.put("name", v));
        event.eventId().ifPresent(v -> reported.put("eventId", v));
        event.watermark().ifPresent(t -> reported.put("watermark", t.toString()));
        // What an opt-in said, never its token.
        event.optin().ifPresent(o -> {
            ObjectNode optin = reported.putObject("optin");
            optin.put("status", o.status().name().toLowerCase(java.util.Locale.ROOT));
            o.expiresAt().ifPresent(t -> optin.put("expiresAt", t.toString()));
            o.frequency().ifPresent(f -> optin.put("frequency", f.name()));
        });
        reported.put("identity", event.identity());
    }
}
