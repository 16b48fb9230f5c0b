package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.domain.enrollment.EnrollmentKey;

/**
 * The notice queue's message: which enrollment has notices to deliver. Version 1 carries {@code "v":1}; a message
 * written before messages carried a version (version 0) holds the same three fields and reads the same.
 */
public final class NoticeSignalCodec {
    static final int FORMAT = 1;

    private NoticeSignalCodec() {}

    public static String encode(EnrollmentKey key) {
        return Json.write(Json.object().put("v", FORMAT).put("account", key.account())
                .put("sequenceId", key.sequenceId()).put("subscriberId", key.subscriberId()));
    }

    /** @throws MalformedSignal naming the field when the text is not a signal of a known version */
    public static EnrollmentKey decode(String text) {
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
        try {
            return new EnrollmentKey(text(in, "account"), text(in, "sequenceId"), text(in, "subscriberId"));
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
