package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.timer.ParkedTick;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.sequencer.domain.timer.Tick;
import io.sequencer.domain.timer.TickGroup;
import io.sequencer.domain.timer.Timer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire form of a tick in the timer queue: a small JSON object with a format version, so a later
 * format can be told apart from this one while old messages are still in flight. A group of ticks is
 * {@code {"v":1,"group":{...}}}: what its members share stated once, then each member's own fields.
 */
public final class TickCodec {
    static final int FORMAT = 1;

    private TickCodec() {}

    public static String encode(Tick tick) {
        return Json.write(toJson(tick));
    }

    /** A group of ticks: {@code {"v":1,"group":{"account","sequenceId","cursor","stepId","members":[...]}}}. */
    public static String encodeGroup(TickGroup group) {
        ObjectNode out = Json.object();
        out.put("v", FORMAT);
        out.set("group", groupJson(group));
        return Json.write(out);
    }

    /** A tick or a group, as {@link #encode} or {@link #encodeGroup} wrote it. */
    public static String encode(Timer timer) {
        return timer instanceof TickGroup group ? encodeGroup(group) : encode((Tick) timer);
    }

    /** A parked timer: {@code {"v":1,"fireAt":"...","tick":{...}}}, or with {@code "group"} for a group. */
    public static String encodeParked(ParkedTick parked) {
        ObjectNode out = Json.object();
        out.put("v", FORMAT);
        out.put("fireAt", parked.fireAt().toString());
        if (parked.timer() instanceof TickGroup group) {
            out.set("group", groupJson(group));
        } else {
            out.set("tick", toJson((Tick) parked.timer()));
        }
        return Json.write(out);
    }

    /** @throws MalformedTick when the text is not a parked timer this version understands */
    public static ParkedTick decodeParked(String text) {
        try {
            JsonNode in = Json.MAPPER.readTree(text);
            if (in == null || !in.isObject() || in.path("v").asInt() != FORMAT
                    || !in.path("tick").isObject() && !in.path("group").isObject()) {
                throw new MalformedTick("not a version " + FORMAT + " parked timer");
            }
            Timer timer = in.path("tick").isObject() ? fromJson(in.get("tick")) : groupFromJson(in.get("group"));
            return new ParkedTick(timer, Instant.parse(text(in, "fireAt")));
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

    /** @throws MalformedTick when the text is neither a tick nor a group this version understands */
    public static Timer decodeTimer(String text) {
        try {
            JsonNode in = Json.MAPPER.readTree(text);
            if (in != null && in.isObject() && in.path("v").asInt() == FORMAT && in.path("group").isObject()) {
                return groupFromJson(in.get("group"));
            }
        } catch (MalformedTick e) {
            throw e;
        } catch (Exception e) {
            throw new MalformedTick(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return decode(text);
    }

    /**
     * Every tick {@code text} holds, whatever its form: a tick, a group, or either of them parked.
     * @throws MalformedTick when it holds none this version understands
     */
    public static List<Tick> ticksIn(String text) {
        try {
            return ticksOf(decodeTimer(text));
        } catch (MalformedTick notATimer) {
            try {
                return ticksOf(decodeParked(text).timer());
            } catch (MalformedTick notParkedEither) {
                throw notATimer;
            }
        }
    }

    private static List<Tick> ticksOf(Timer timer) {
        return timer instanceof TickGroup group ? group.ticks() : List.of((Tick) timer);
    }

    private static ObjectNode groupJson(TickGroup group) {
        ObjectNode out = Json.object();
        out.put("account", group.account());
        out.put("sequenceId", group.sequenceId());
        out.put("cursor", group.cursor());
        out.put("stepId", group.stepId());
        ArrayNode members = out.putArray("members");
        for (TickGroup.Member m : group.members()) {
            ObjectNode member = members.addObject();
            member.put("subscriberId", m.subscriberId());
            member.put("epoch", m.epoch());
            member.put("dueAt", m.dueAt().toString());
            member.put("token", m.token());
        }
        return out;
    }

    private static TickGroup groupFromJson(JsonNode in) {
        JsonNode members = in.get("members");
        if (members == null || !members.isArray()) {
            throw new MalformedTick("members is missing");
        }
        List<TickGroup.Member> read = new ArrayList<>(members.size());
        for (JsonNode m : members) {
            read.add(new TickGroup.Member(text(m, "subscriberId"), whole(m, "epoch"), Instant.parse(text(m, "dueAt")),
                    text(m, "token")));
        }
        try {
            return new TickGroup(text(in, "account"), text(in, "sequenceId"), Math.toIntExact(whole(in, "cursor")),
                    text(in, "stepId"), read);
        } catch (IllegalArgumentException e) {
            throw new MalformedTick("group: " + e.getMessage());
        }
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
