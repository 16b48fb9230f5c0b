package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.notification.Notice;
import io.sequencer.domain.notification.NoticeType;

/** Lifecycle events as the host receives them (an outbox stores them through {@code stored.StoredEnrollment}). */
public final class NoticeJson {
    private NoticeJson() {}

    /** The event as POSTed to the host's notification URL. */
    public static ObjectNode write(EnrollmentKey key, Notice notice) {
        ObjectNode out = writeFields(notice);
        out.put("account", key.account());
        out.put("sequenceId", key.sequenceId());
        out.put("subscriberId", key.subscriberId());
        notice.errorClass().ifPresent(c -> out.put("errorClass", c));
        if (notice.type() == NoticeType.ENROLLMENT_LEFT || notice.type() == NoticeType.STEP_SKIPPED) {
            notice.detail().ifPresent(reason -> out.put("reason", reason));
        }
        return out;
    }

    private static ObjectNode writeFields(Notice notice) {
        ObjectNode out = Json.object();
        out.put("eventId", notice.eventId());
        out.put("type", notice.type().wireName());
        out.put("sequence", notice.sequence());
        out.put("occurredAt", notice.occurredAt().toString());
        out.put("epoch", notice.epoch());
        notice.stepId().ifPresent(s -> out.put("stepId", s));
        notice.deliveryId().ifPresent(d -> out.put("deliveryId", d));
        notice.detail().ifPresent(d -> out.put("detail", d));
        notice.channel().ifPresent(c -> out.put("channel", c));
        notice.variant().ifPresent(v -> out.put("variant", v));
        return out;
    }
}
