package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.broadcast.FanOutPage;
import io.sequencer.domain.broadcast.SendChunk;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The wire form of broadcast queue messages: small JSON objects with a format version, as ticks have. */
public final class BroadcastCodec {
    static final int FORMAT = 1;

    private BroadcastCodec() {}

    /** Thrown for a message this version cannot read; the queue trigger retries it, then poisons it. */
    public static final class MalformedMessage extends RuntimeException {
        public MalformedMessage(String message) {
            super(message);
        }
    }

    public static String encode(FanOutPage page) {
        ObjectNode out = Json.object();
        out.put("v", FORMAT);
        out.put("account", page.account());
        out.put("broadcastId", page.broadcastId());
        out.put("page", page.page());
        out.put("waits", page.waits());
        return Json.write(out);
    }

    public static String encode(SendChunk chunk) {
        ObjectNode out = Json.object();
        out.put("v", FORMAT);
        out.put("account", chunk.account());
        out.put("broadcastId", chunk.broadcastId());
        out.put("dueAt", chunk.dueAt().toString());
        ArrayNode ids = out.putArray("subscriberIds");
        chunk.subscriberIds().forEach(ids::add);
        return Json.write(out);
    }

    /** A send message parked until {@code fireAt}, beyond the queue's longest visibility delay. */
    public record ParkedChunk(SendChunk chunk, Instant fireAt) {}

    /** {@code {"v":1,"fireAt":"...","chunk":{...}}}; before version 1 the envelope had no {@code v}. */
    public static String encodeParked(SendChunk chunk, Instant fireAt) {
        ObjectNode out = Json.object();
        out.put("v", FORMAT);
        out.put("fireAt", fireAt.toString());
        out.set("chunk", Json.read(encode(chunk)));
        return Json.write(out);
    }

    public static ParkedChunk decodeParked(String text) {
        JsonNode in;
        try {
            in = Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new MalformedMessage("not JSON");
        }
        if (in == null || !in.isObject() || (in.has("v") && in.path("v").asInt(-1) != FORMAT)) {
            throw new MalformedMessage("not a parked broadcast send message of version 0 or " + FORMAT);
        }
        if (!in.path("chunk").isObject()) {
            throw new MalformedMessage("parked broadcast send message: chunk is missing");
        }
        try {
            return new ParkedChunk(decodeChunk(Json.write(in.get("chunk"))), Instant.parse(text(in, "fireAt")));
        } catch (MalformedMessage e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MalformedMessage("parked broadcast send message: fireAt " + e.getMessage());
        }
    }

    /** A fan-out page message: account, broadcast and page are required; {@code waits} left out is 0. */
    public static FanOutPage decodePage(String text) {
        JsonNode in = versioned(text);
        try {
            return new FanOutPage(text(in, "account"), text(in, "broadcastId"), whole(in, "page"),
                    in.hasNonNull("waits") ? whole(in, "waits") : 0);
        } catch (MalformedMessage e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MalformedMessage("not a fan-out page message: " + e.getMessage());
        }
    }

    /** A send message: account, broadcast, due time and the subscribers to send to are all required. */
    public static SendChunk decodeChunk(String text) {
        JsonNode in = versioned(text);
        try {
            JsonNode list = in.get("subscriberIds");
            if (list == null || !list.isArray()) {
                throw new MalformedMessage("broadcast send message: subscriberIds is missing");
            }
            List<String> ids = new ArrayList<>();
            list.forEach(id -> ids.add(id.asText()));
            return new SendChunk(text(in, "account"), text(in, "broadcastId"), Instant.parse(text(in, "dueAt")), ids);
        } catch (MalformedMessage e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MalformedMessage("not a broadcast send message: " + e.getMessage());
        }
    }

    private static String text(JsonNode in, String field) {
        JsonNode node = in.get(field);
        if (node == null || !node.isTextual()) {
            throw new MalformedMessage("broadcast message: " + field + " is missing");
        }
        return node.textValue();
    }

    private static int whole(JsonNode in, String field) {
        JsonNode node = in.get(field);
        if (node == null || !node.canConvertToInt() || !node.isIntegralNumber()) {
            throw new MalformedMessage("broadcast message: " + field + " is missing or not a whole number");
        }
        return node.intValue();
    }

    private static JsonNode versioned(String text) {
        JsonNode in;
        try {
            in = Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new MalformedMessage("not JSON");
        }
        if (in == null || !in.isObject() || in.path("v").asInt() != FORMAT) {
            throw new MalformedMessage("not a version " + FORMAT + " message");
        }
        return in;
    }
}
