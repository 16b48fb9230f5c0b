package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.channel.DeliveryDeferral;
import io.sequencer.domain.enrollment.DeferredStep;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentData;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.engine.enrollment.EnrollRequest;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Maps enrollments to the HTTP API's JSON (stored forms: {@code stored.StoredEnrollment}). */
public final class EnrollmentJson {
    private static final Set<String> ENROLL_FIELDS = Set.of("timezone", "attributes", "data");

    private EnrollmentJson() {}

    public static ObjectNode write(Enrollment enrollment) {
        return write(enrollment, Optional.empty());
    }

    /** With {@code deferred} when its next step waits for the destination's circuit to let it through. */
    public static ObjectNode write(Enrollment enrollment, Optional<DeferredStep> deferred) {
        ObjectNode out = Json.object();
        out.put("subscriberId", enrollment.key().subscriberId());
        out.put("sequenceId", enrollment.key().sequenceId());
        out.put("status", enrollment.status().wireName());
        if (enrollment.nextStepId() != null) {
            out.put("nextStepId", enrollment.nextStepId());
            out.put("nextDueAt", enrollment.nextDueAt().toString());
        } else {
            out.putNull("nextStepId");
            out.putNull("nextDueAt");
        }
        out.put("epoch", enrollment.epoch());
        enrollment.timezone().ifPresent(z -> out.put("timezone", z.getId()));
        enrollment.leaveReason().ifPresent(r -> out.put("leaveReason", r.wireName()));
        if (enrollment.heldOut()) {
            out.put("heldOut", true);
        }
        enrollment.origin().cause().ifPresent(c -> out.put("startedBy", c));
        if (!enrollment.origin().data().isEmpty()) {
            out.set("data", DataJson.write(enrollment.origin().data()));
        }
        out.put("enrolledAt", enrollment.enrolledAt().toString());
        out.put("updatedAt", enrollment.updatedAt().toString());
        out.put("stepsSent", enrollment.stepsSent());
        deferred.ifPresent(step -> writeDeferred(out.putObject("deferred"), step));
        out.set("steps", writeHistory(enrollment.history()));
        return out;
    }

    /**
     * A page of a sequence's enrollments: each as one enrollment is shown ({@link #write}), then the token of the
     * next page, or null on the last.
     */
    public static ObjectNode writePage(String sequenceId, List<Enrollment> enrollments,
                                       Function<Enrollment, Optional<DeferredStep>> deferred,
                                       Optional<String> continuation) {
        ObjectNode out = Json.object();
        out.put("sequenceId", sequenceId);
        ArrayNode items = out.putArray("subscribers");
        enrollments.forEach(e -> items.add(write(e, deferred.apply(e))));
        if (continuation.isPresent()) {
            out.put("continuation", continuation.get());
        } else {
            out.putNull("continuation");
        }
        return out;
    }

    /** Which step waits, for which destination (scheme, host and port, or a page or sender), since and until when. */
    static void writeDeferred(ObjectNode out, DeferredStep step) {
        out.put("stepId", step.stepId());
        out.put("reason", DeliveryDeferral.Cause.CIRCUIT_OPEN.wireName());
        out.put("destination", step.destination());
        out.put("since", step.since().toString());
        out.put("until", step.until().toString());
    }

    /** The optional enroll body: the subscriber's time zone, profile changes, and data for the messages. */
    public record EnrollBody(Optional<ZoneId> timezone, Map<String, Optional<AttributeValue>> attributes,
                             EnrollmentData data) {
        public static final EnrollBody EMPTY = new EnrollBody(Optional.empty(), Map.of(), EnrollmentData.NONE);

        /** The host's request to enroll {@code key} with this body. */
        public EnrollRequest request(EnrollmentKey key) {
            return new EnrollRequest(key, timezone, attributes, Origin.host(data));
        }
    }

    /**
     * Reads the optional enroll body: {@code {"timezone": "<IANA id>", "attributes": {...}, "data": {...}}}. An
     * absent body means
     * no fields.
     * @throws io.sequencer.domain.Invalid naming every bad field
     */
    public static EnrollBody parseEnrollRequest(Optional<String> body) {
        if (body.isEmpty() || body.get().isBlank()) {
            return EnrollBody.EMPTY;
        }
        JsonNode root = Json.parseBody(body.get());
        FieldReader in = new FieldReader();
        if (in.object(root, "body", true) == null) {
            in.throwIfInvalid();
        }
        in.rejectUnknown(root, "", ENROLL_FIELDS);
        EnrollBody parsed = enrollFields(root, "", in);
        in.throwIfInvalid();
        return parsed;
    }

    /** The timezone, attributes and data fields of an enroll body or a batch entry under {@code path}. */
    static EnrollBody enrollFields(JsonNode node, String path, FieldReader in) {
        String prefix = path.isEmpty() ? "" : path + ".";
        Optional<ZoneId> timezone = TimingJson.timezone(node, "timezone", prefix + "timezone", in);
        JsonNode attributesNode = node.get("attributes");
        Map<String, Optional<AttributeValue>> attributes = attributesNode == null || attributesNode.isNull() ? Map.of()
                : AttributesJson.parse(attributesNode, prefix + "attributes", in, false);
        EnrollmentData data = DataJson.parse(node.get("data"), prefix + "data", in);
        return new EnrollBody(timezone, attributes == null ? Map.of() : attributes,
                data == null ? EnrollmentData.NONE : data);
    }

    public static ArrayNode writeHistory(List<StepRecord> history) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (StepRecord record : history) {
            ObjectNode node = out.addObject();
            node.put("stepId", record.stepId());
            node.put("deliveryId", record.deliveryId());
            node.put("outcome", record.outcome().wireName());
            node.put("at", record.at().toString());
            node.put("attempts", record.attempts());
            record.channel().ifPresent(c -> node.put("channel", c));
            if (!record.detail().isEmpty()) {
                node.put("detail", record.detail());
            }
            if (!record.engagement().isEmpty()) {
                ArrayNode engagement = node.putArray("engagement");
                record.engagement().forEach(e -> engagement.add(e.wireName()));
            }
            record.variant().ifPresent(v -> node.put("variant", v));
        }
        return out;
    }
}
