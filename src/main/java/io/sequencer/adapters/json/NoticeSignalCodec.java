package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.engine.notification.NoticeQueue;

/**
 * The notice queue's message: which enrollment has notices to deliver, and {@code upTo}, the highest event number
 * the write it announces holds. Version 1 carries {@code "v":1}; a message written before messages carried a
 * version (version 0) holds the same key fields and reads the same. {@code upTo} is an optional field of version 1,
 * not a new version: a message without it (written before it existed) reads as naming no event, which is what a
 * reader that does not know the field makes of a message with it, so a process of the previous release still
 * delivers from the queue rather than dropping its messages as a newer version.
 */
public final class NoticeSignalCodec {
    static final int FORMAT = 1;

    private NoticeSignalCodec() {}

    /** A signal as read: the enrollment and the last event number its write holds ({@link NoticeQueue#ANY}: none). */
    public record Signalled(EnrollmentKey key, long upTo) {}

    public static String encode(EnrollmentKey key, long upTo) {
        return Json.write(Json.object().put("v", FORMAT).put("account", key.account())
                .put("sequenceId", key.sequenceId()).put("subscriberId", key.subscriberId()).put("upTo", upTo));
    }

    /** @throws MalformedSignal naming the field when the text is not a signal of a known version */
    public static Signalled decode(String text) {
        JsonNode in;
        try {
            in = Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new MalformedSignal("not JSON");
        }
        if (in == null || !in.isObject()) {
            throw new MalformedSignal("not a JSON object");
        }
        JsonNode version = in.get("v");
        if (version != null && (!version.canConvertToInt() || version.intValue() < 0 || version.intValue() > FORMAT)) {
            throw new MalformedSignal("v " + version + " is not a version this code reads (0 to " + FORMAT + ")");
        }
        JsonNode upTo = in.get("upTo");
        if (upTo != null && (!upTo.canConvertToLong() || !upTo.isIntegralNumber() || upTo.longValue() < 0)) {
            throw new MalformedSignal("upTo " + upTo + " is not an event number");
        }
        try {
            var key = new EnrollmentKey(text(in, "account"), text(in, "sequenceId"), text(in, "subscriberId"));
            return new Signalled(key, upTo == null ? NoticeQueue.ANY : upTo.longValue());
        } catch (IllegalArgumentException e) {
            throw new MalformedSignal(e.getMessage());
        }
    }

    private static String text(JsonNode in, String field) {
        JsonNode node = in.get(field);
        if (node == null || !node.isTextual()) {
            throw new MalformedSignal(field + " is missing");
        }
        return node.textValue();
    }

    /** A notice queue message this version cannot read. */
    public static final class MalformedSignal extends RuntimeException {
        public MalformedSignal(String reason) {
            super("malformed notice signal: " + reason);
        }
    }
}
