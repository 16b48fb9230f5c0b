package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.EnrollmentKey;
import io.sequencer.domain.Notice;
import io.sequencer.domain.NoticeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Lifecycle events as the host receives them, and as an enrollment's outbox stores them. */
public final class NoticeJson {
    private NoticeJson() {}

    /** The event as POSTed to the host's notification URL. */
    public static ObjectNode write(EnrollmentKey key, Notice notice) {
        ObjectNode out = writeStored(notice);
        out.put("account", key.account());
        out.put("sequenceId", key.sequenceId());
        out.put("subscriberId", key.subscriberId());
        notice.errorClass().ifPresent(c -> out.put("errorClass", c));
        if (notice.type() == NoticeType.ENROLLMENT_LEFT || notice.type() == NoticeType.STEP_SKIPPED) {
            notice.detail().ifPresent(reason -> out.put("reason", reason));
        }
        return out;
    }

    private static ObjectNode writeStored(Notice notice) {
        ObjectNode out = Json.object();
        out.put("eventId", notice.eventId());
        out.put("type", notice.type().wireName());
        out.put("sequence", notice.sequence());
        out.put("occurredAt", notice.occurredAt().toString());
        out.put("epoch", notice.epoch());
        notice.stepId().ifPresent(s -> out.put("stepId", s));
        notice.deliveryId().ifPresent(d -> out.put("deliveryId", d));
        notice.detail().ifPresent(d -> out.put("detail", d));
        return out;
    }

    public static String writeStoredList(List<Notice> notices) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        notices.forEach(n -> out.add(writeStored(n)));
        return Json.write(out);
    }

    public static List<Notice> readStoredList(String text) {
        List<Notice> notices = new ArrayList<>();
        for (JsonNode node : Json.read(text)) {
            notices.add(new Notice(node.get("sequence").longValue(), node.get("eventId").textValue(),
                    NoticeType.fromWireName(node.get("type").textValue()).orElseThrow(),
                    Instant.parse(node.get("occurredAt").textValue()), node.get("epoch").longValue(),
                    text(node, "stepId"), text(node, "deliveryId"), text(node, "detail")));
        }
        return notices;
    }

    private static Optional<String> text(JsonNode node, String field) {
        return Optional.ofNullable(node.get(field)).map(JsonNode::textValue);
    }
}
