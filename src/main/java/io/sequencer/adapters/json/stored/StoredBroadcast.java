package io.sequencer.adapters.json.stored;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.broadcast.Audience;
import io.sequencer.domain.broadcast.AudienceMember;
import io.sequencer.domain.broadcast.Broadcast;
import io.sequencer.domain.broadcast.BroadcastTime;
import io.sequencer.domain.broadcast.FanOutCursor;
import io.sequencer.domain.channel.ChannelRoute;
import io.sequencer.domain.channel.StepMessaging;
import io.sequencer.domain.subscriber.AttributeValue;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A broadcast as table rows: its definition row ({@code sendTime}, {@code channel}, chunked {@code message} and
 * {@code audience}, {@code createdAt}, the fan-out cursor's {@code phase} and {@code page}, and optionally
 * {@code tag}, {@code cancelledAt}, {@code sendersStoppedAt}, {@code after}, {@code fanOutStartedAt}, {@code fanOutFinishedAt},
 * {@code fanOutFailure}, {@code outsideWindow} ({@code marketing_message}; absent means skip), {@code exempt}, chunked
 * {@code fallback}: the array of its fallback channels), and the rows of its listed members (chunked
 * {@code members}). Version 0 rows (no {@code v}) hold the same properties as version 1; rows written before
 * broadcasts had fallback channels have none.
 */
public final class StoredBroadcast {
    private StoredBroadcast() {}

    public static Map<String, Object> write(Broadcast b, StoredChannelForms channels) {
        FanOutCursor fanOut = b.fanOut();
        RowWriter row = new RowWriter()
                .put("sendTime", Json.write(writeTime(b.sendTime())))
                .put("channel", Json.write(channels.write(b.channel())))
                .put("createdAt", b.createdAt().toString())
                .put("phase", fanOut.phase().name())
                .put("page", fanOut.page())
                .putChunked("message", b.message())
                .putChunked("audience", Json.write(writeAudience(b.audience())))
                .put("tag", b.tag())
                .put("outsideWindow", Optional.of(StepMessaging.MARKETING_MESSAGE).filter(m -> b.marketingMessage()))
                .put("cancelledAt", b.cancelledAt())
                .put("sendersStoppedAt", b.sendersStoppedAt())
                .put("after", fanOut.after())
                .put("fanOutStartedAt", fanOut.startedAt())
                .put("fanOutFinishedAt", fanOut.finishedAt())
                .put("fanOutFailure", fanOut.failure())
                .put("exempt", b.exempt() ? Optional.of(true) : Optional.empty());
        if (b.route().hasFallback()) {
            row.putChunked("fallback", Json.write(StoredRoute.writeFallback(b.route(), channels)));
        }
        return row.properties();
    }

    public static Broadcast read(String account, String broadcastId, Map<String, Object> properties,
                                 StoredChannelForms channels) {
        StoredRow row = new StoredRow("broadcast " + account + "/" + broadcastId, properties);
        String what = row.what();
        try {
            FanOutCursor fanOut = new FanOutCursor(row.parse("phase", row.text("phase"), FanOutCursor.Phase::valueOf),
                    row.small("page"), row.optionalText("after"), row.optionalInstant("fanOutStartedAt"),
                    row.optionalInstant("fanOutFinishedAt"), row.optionalText("fanOutFailure"));
            return new Broadcast(account, broadcastId, readTime(StoredNode.parse(what, "sendTime", row.text("sendTime"))),
                    channels.read(StoredNode.parse(what, "channel", row.text("channel"))), row.chunked("message"),
                    row.optionalText("tag"), readAudience(StoredNode.parse(what, "audience", row.chunked("audience"))),
                    row.instant("createdAt"), row.optionalInstant("cancelledAt"),
                    row.optionalInstant("sendersStoppedAt"), fanOut,
                    row.optionalText("outsideWindow").filter(StepMessaging.MARKETING_MESSAGE::equals).isPresent(),
                    row.flag("exempt", false),
                    row.optionalWhole("fallback_n").isPresent() ? ChannelRoute.fallingBackTo(StoredRoute.readFallback(
                            StoredNode.parse(what, "fallback", row.chunked("fallback")).elements(), channels))
                            : ChannelRoute.DEFAULT);
        } catch (IllegalArgumentException e) {
            throw new UnreadableStoredForm(what, "definition", "cannot be read: " + e.getMessage());
        }
    }

    /** One page of listed members, as the row that holds them. */
    public static Map<String, Object> writeMembers(List<AudienceMember> members) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (AudienceMember m : members) {
            ObjectNode member = out.addObject().put("subscriberId", m.subscriberId());
            m.timezone().ifPresent(z -> member.put("timezone", z.getId()));
            if (!m.attributes().isEmpty()) {
                ObjectNode attributes = member.putObject("attributes");
                // Sorted: a member's attributes come in no fixed order, and the same page should store the same.
                new TreeMap<>(m.attributes()).forEach((name, value) -> attributes.set(name,
                        value.map(StoredCondition::writeValue).orElse(null)));
            }
        }
        return new RowWriter().putChunked("members", Json.write(out)).properties();
    }

    /** The members held by a page row; {@code row} names it in errors. */
    public static List<AudienceMember> readMembers(String row, Map<String, Object> properties) {
        StoredRow stored = new StoredRow("broadcast members " + row, properties);
        List<AudienceMember> members = new ArrayList<>();
        for (StoredNode m : StoredNode.parse(stored.what(), "members", stored.chunked("members")).elements()) {
            Map<String, Optional<AttributeValue>> attributes = new LinkedHashMap<>();
            m.optionalChild("attributes").ifPresent(all -> all.json().fieldNames().forEachRemaining(name ->
                    attributes.put(name, all.optionalChild(name).map(StoredCondition::readValue))));
            try {
                members.add(new AudienceMember(m.text("subscriberId"), m.optionalParsed("timezone", ZoneId::of),
                        attributes));
            } catch (IllegalArgumentException e) {
                throw m.unreadable(e);
            }
        }
        return members;
    }

    private static ObjectNode writeTime(BroadcastTime time) {
        ObjectNode out = Json.object();
        if (time instanceof BroadcastTime.At at) {
            out.put("sendAt", at.instant().toString());
        } else {
            BroadcastTime.Local local = (BroadcastTime.Local) time;
            out.put("sendAtLocal", local.local().toString());
            out.put("fallbackTimezone", local.fallback().getId());
        }
        return out;
    }

    private static BroadcastTime readTime(StoredNode in) {
        if (in.has("sendAt")) {
            return new BroadcastTime.At(in.parsed("sendAt", Instant::parse));
        }
        return new BroadcastTime.Local(in.parsed("sendAtLocal", LocalDateTime::parse),
                in.parsed("fallbackTimezone", ZoneId::of));
    }

    private static ObjectNode writeAudience(Audience audience) {
        ObjectNode out = Json.object();
        out.put("listed", audience.listed());
        out.put("listedDigest", audience.listedDigest());
        out.put("everyone", audience.everyone());
        audience.match().ifPresent(m -> out.set("match", StoredCondition.write(m)));
        return out;
    }

    private static Audience readAudience(StoredNode in) {
        try {
            return new Audience(Math.toIntExact(in.whole("listed")), in.text("listedDigest"), in.flag("everyone", false),
                    in.optionalChild("match").map(StoredCondition::read));
        } catch (IllegalArgumentException e) {
            throw in.unreadable(e);
        }
    }
}
