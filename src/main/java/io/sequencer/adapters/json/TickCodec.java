package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.timer.ParkedTick;
import io.sequencer.domain.timer.Tick;
import java.time.Instant;

/**
 * The wire form of a tick in the timer queue: a small JSON object with a format version, so a later
 * format can be told apart from this one while old messages are still in flight.
 */
public final class TickCodec {
    static final int FORMAT = 1;

    private TickCodec() {}

    public static String encode(Tick tick) {
        return Json.write(toJson(tick));
    }

    /** A parked timer: {@code {"v":1,"fireAt":"...","tick":{...}}}. */
    public static String encodeParked(ParkedTick parked) {
        ObjectNode out = Json.object();
        out.put("v", FORMAT);
        out.put("fireAt", parked.fireAt().toString());
        out.set("tick", toJson(parked.tick()));
        return Json.write(out);
    }

    /** @throws MalformedTick when the text is not a parked timer this version understands */
    public static ParkedTick decodeParked(String text) {
        try {
            JsonNode in = Json.MAPPER.readTree(text);
            if (in == null || !in.isObject() || in.path("v").asInt() != FORMAT || !in.path("tick").isObject()) {
                throw new MalformedTick("not a version " + FORMAT + " parked timer");
            }
            return new ParkedTick(fromJson(in.get("tick")), Instant.parse(text(in, "fireAt")));
        } catch (MalformedTick e) {
            throw e;
        } catch (Exception e) {
            throw new MalformedTick(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static ObjectNode toJson(Tick tick) {
        ObjectNode out = Json.object();
        out.put("v", FORMAT);
        out.put("account", tick.key().account());
        out.put("sequenceId", tick.key().sequenceId());
        out.put("subscriberId", tick.key().subscriberId());
        out.put("epoch", tick.epoch());
        out.put("cursor", tick.cursor());
        out.put("stepId", tick.stepId());
        out.put("dueAt", tick.dueAt().toString());
        out.put("token", tick.token());
        out.put("attempt", tick.attempt());
        out.put("waits", tick.waits());
        out.put("holds", tick.holds());
        return out;
    }

    /** @throws MalformedTick when the text is not a tick this version understands */
    public static Tick decode(String text) {
        try {
            JsonNode in = Json.MAPPER.readTree(text);
            if (in == null || !in.isObject() || in.path("v").asInt() != FORMAT) {
                throw new MalformedTick("not a version " + FORMAT + " tick");
            }
            return fromJson(in);
        } catch (MalformedTick e) {
            throw e;
        } catch (Exception e) {
            throw new MalformedTick(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * The tick in {@code in}. Its key, epoch, cursor, step, due time and token are required: a tick without its
     * epoch could not be told stale from current, so it is refused, never read as epoch 0. A count left out is
     * that of a tick's first delivery: attempt 1, no waits, no holds.
     */
    private static Tick fromJson(JsonNode in) {
        EnrollmentKey key = new EnrollmentKey(text(in, "account"), text(in, "sequenceId"), text(in, "subscriberId"));
        try {
            return new Tick(key, whole(in, "epoch"), Math.toIntExact(whole(in, "cursor")), text(in, "stepId"),
                    Instant.parse(text(in, "dueAt")), text(in, "token"), count(in, "attempt", 1), count(in, "waits", 0),
                    count(in, "holds", 0));
        } catch (MalformedTick e) {
            throw new MalformedTick(e.reason + " (tick of " + key + ")");
        }
    }

    private static long whole(JsonNode in, String field) {
        JsonNode node = in.get(field);
        if (node == null || node.isNull()) {
            throw new MalformedTick(field + " is missing");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new MalformedTick(field + " is not a whole number");
        }
        return node.longValue();
    }

    private static int count(JsonNode in, String field, int absent) {
        return in.hasNonNull(field) ? Math.toIntExact(whole(in, field)) : absent;
    }

    private static String text(JsonNode in, String field) {
        JsonNode node = in.get(field);
        if (node == null || !node.isTextual()) {
            throw new MalformedTick(field + " is missing");
        }
        return node.textValue();
    }

    /** A queue message that is not a tick; it is poisoned, never retried into success. */
    public static final class MalformedTick extends RuntimeException {
        private final String reason;

        public MalformedTick(String reason) {
            super("malformed tick: " + reason);
            this.reason = reason;
        }
    }
}
