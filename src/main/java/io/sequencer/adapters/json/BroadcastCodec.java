package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.FanOutPage;
import io.sequencer.domain.SendChunk;
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

    public static FanOutPage decodePage(String text) {
        try {
            JsonNode in = versioned(text);
            return new FanOutPage(in.get("account").asText(), in.get("broadcastId").asText(), in.get("page").asInt(),
                    in.path("waits").asInt(0));
        } catch (MalformedMessage e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MalformedMessage("not a fan-out page message: " + e.getClass().getSimpleName());
        }
    }

    public static SendChunk decodeChunk(String text) {
        try {
            JsonNode in = versioned(text);
            List<String> ids = new ArrayList<>();
            in.get("subscriberIds").forEach(id -> ids.add(id.asText()));
            return new SendChunk(in.get("account").asText(), in.get("broadcastId").asText(),
                    Instant.parse(in.get("dueAt").asText()), ids);
        } catch (MalformedMessage e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MalformedMessage("not a broadcast send message: " + e.getClass().getSimpleName());
        }
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
