package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.enrollment.EnrollmentData;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.engine.preview.PreviewSubject;
import io.sequencer.engine.preview.StepPreview;
import io.sequencer.engine.preview.TestSendResult;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The bodies of a step's preview and test send: whom to render it for ({@code subscriberId} of a stored profile,
 * or an inline {@code subscriber}), the enrollment's {@code data}, and for a test the recipient {@code to}.
 */
public final class PreviewJson {
    private static final Set<String> PREVIEW = Set.of("subscriberId", "subscriber", "data");
    private static final Set<String> TEST = Set.of("subscriberId", "subscriber", "data", "to");
    private static final Set<String> SUBSCRIBER = Set.of("id", "timezone", "attributes");
    /** Longest {@code to}: a URL of the length the API takes for a channel's. */
    static final int MAX_TO = 2048;

    private PreviewJson() {}

    /** A test send's request: whom the message is rendered for, and the tester it goes to. */
    public record TestRequest(PreviewSubject subject, String to) {}

    /** @throws io.sequencer.domain.Invalid naming every bad field */
    public static PreviewSubject parsePreview(String body) {
        FieldReader in = new FieldReader();
        JsonNode root = root(body, in);
        in.rejectUnknown(root, "", PREVIEW);
        PreviewSubject subject = subject(root, in, true);
        in.throwIfInvalid();
        return subject;
    }

    /**
     * A test send's body; without a subscriber the message is rendered for an inline one with id
     * {@value PreviewSubject.Inline#DEFAULT_ID} and no attributes.
     * @throws io.sequencer.domain.Invalid naming every bad field
     */
    public static TestRequest parseTest(String body) {
        FieldReader in = new FieldReader();
        JsonNode root = root(body, in);
        in.rejectUnknown(root, "", TEST);
        String to = in.string(root, "to", "to", true, MAX_TO);
        PreviewSubject subject = subject(root, in, false);
        in.throwIfInvalid();
        return new TestRequest(subject, to);
    }

    private static JsonNode root(String body, FieldReader in) {
        JsonNode root = Json.parseBody(body);
        if (in.object(root, "body", true) == null) {
            in.throwIfInvalid();
        }
        return root;
    }

    private static PreviewSubject subject(JsonNode root, FieldReader in, boolean required) {
        EnrollmentData data = DataJson.parse(root.get("data"), "data", in);
        data = data == null ? EnrollmentData.NONE : data;
        boolean stored = root.hasNonNull("subscriberId");
        boolean inline = root.hasNonNull("subscriber");
        if (stored && inline) {
            in.fail("subscriber", "give subscriberId (a stored profile) or subscriber (inline), not both");
            return null;
        }
        if (stored) {
            String id = in.id(root, "subscriberId", "subscriberId");
            return id == null ? null : new PreviewSubject.Stored(id, data);
        }
        if (!inline && required) {
            in.fail("subscriberId", "is required: a stored subscriber's id, or give an inline subscriber");
            return null;
        }
        JsonNode node = inline ? in.object(root.get("subscriber"), "subscriber", true) : null;
        if (inline && node == null) {
            return null;
        }
        if (node == null) {
            return new PreviewSubject.Inline(PreviewSubject.Inline.DEFAULT_ID, Optional.empty(), Map.of(), data);
        }
        in.rejectUnknown(node, "subscriber", SUBSCRIBER);
        String id = node.hasNonNull("id") ? in.id(node, "id", "subscriber.id") : PreviewSubject.Inline.DEFAULT_ID;
        Optional<ZoneId> timezone = TimingJson.timezone(node, "timezone", "subscriber.timezone", in);
        JsonNode attributesNode = node.get("attributes");
        Map<String, Optional<AttributeValue>> attributes = attributesNode == null || attributesNode.isNull()
                ? Map.of() : AttributesJson.parse(attributesNode, "subscriber.attributes", in, false);
        if (in.hasErrors() || id == null) {
            return null;
        }
        return new PreviewSubject.Inline(id, timezone, attributes == null ? Map.of() : attributes, data);
    }

    public static ObjectNode write(StepPreview preview) {
        ObjectNode out = Json.object();
        out.put("sequenceId", preview.sequenceId());
        out.put("stepId", preview.stepId());
        out.put("subscriberId", preview.subscriberId());
        out.put("channel", preview.channel());
        out.set("message", Json.read(preview.message()));
        preview.request().ifPresent(request -> out.set("request", Json.read(request)));
        preview.skip().ifPresent(reason -> out.put("wouldSkip", reason));
        preview.variant().ifPresent(variant -> out.put("variant", variant));
        out.put("timezone", preview.zone().getId());
        ArrayNode due = out.putArray("dueAt");
        for (Instant at : preview.dueAt()) {
            due.add(at.toString());
        }
        return out;
    }

    public static ObjectNode write(TestSendResult result) {
        ObjectNode out = Json.object();
        out.put("sequenceId", result.sequenceId());
        out.put("stepId", result.stepId());
        out.put("channel", result.channel());
        out.put("to", result.to());
        out.put("deliveryId", result.deliveryId());
        out.put("status", result.delivered() ? "delivered" : "failed");
        out.put("detail", result.detail());
        return out;
    }
}
