package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.broadcast.Audience;
import io.sequencer.domain.broadcast.AudienceMember;
import io.sequencer.domain.broadcast.Broadcast;
import io.sequencer.domain.broadcast.BroadcastReport;
import io.sequencer.domain.broadcast.BroadcastTime;
import io.sequencer.domain.broadcast.FanOutCursor;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.channel.ChannelRoute;
import io.sequencer.domain.channel.StepMessaging;
import io.sequencer.domain.sequence.Condition;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Engagement;
import io.sequencer.engine.broadcast.BroadcastRequest;
import io.sequencer.engine.broadcast.Broadcasts;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Reads broadcast requests and writes broadcasts and their reports (stored forms: {@code stored.StoredBroadcast}). */
public final class BroadcastJson {
    private static final Set<String> TOP = Set.of("sendAt", "sendAtLocal", "fallbackTimezone", "channel", "message", "tag",
            "outsideWindow", "audience", "exempt", RouteJson.FALLBACK);
    private static final Set<String> AUDIENCE = Set.of("subscribers", "everyone", "match");
    private static final Set<String> MEMBER = Set.of("subscriberId", "timezone", "attributes");

    private static final int MAX_EVENTS = 1_000;

    private BroadcastJson() {}

    /**
     * Reads {@code {"events":[{"subscriberId","type"}]}} (at most {@value #MAX_EVENTS}; type delivered, read, clicked
     * or replied). @throws io.sequencer.domain.Invalid naming every bad field
     */
    public static List<Broadcasts.Reported> parseEvents(String body) {
        JsonNode root = Json.parseBody(body);
        FieldReader in = new FieldReader();
        if (in.object(root, "body", true) == null) {
            in.throwIfInvalid();
        }
        JsonNode list = root.get("events");
        List<Broadcasts.Reported> events = new ArrayList<>();
        if (list == null || !list.isArray() || list.isEmpty()) {
            in.fail("events", "is required: a non-empty array of {subscriberId, type}");
        } else if (list.size() > MAX_EVENTS) {
            in.fail("events", "must hold at most " + MAX_EVENTS + " events");
        } else {
            for (int i = 0; i < list.size(); i++) {
                String path = "events[" + i + "]";
                JsonNode event = in.object(list.get(i), path, true);
                if (event == null) {
                    continue;
                }
                String id = in.id(event, "subscriberId", path + ".subscriberId");
                String type = in.string(event, "type", path + ".type", true, 32);
                Optional<Engagement> signal = Arrays.stream(Engagement.values())
                        .filter(e -> e.wireName().equals(type)).findFirst();
                if (type != null && signal.isEmpty()) {
                    in.fail(path + ".type", "must be one of delivered, read, clicked, replied");
                }
                if (id != null && signal.isPresent()) {
                    events.add(new Broadcasts.Reported(id, signal.get()));
                }
            }
        }
        in.throwIfInvalid();
        return events;
    }

    /** Reads a PUT body. @throws io.sequencer.domain.Invalid naming every bad field */
    public static BroadcastRequest parse(String body, ChannelForms channels) {
        JsonNode root = Json.parseBody(body);
        FieldReader in = new FieldReader();
        if (in.object(root, "body", true) == null) {
            in.throwIfInvalid();
        }
        in.rejectUnknown(root, "", TOP);
        BroadcastTime time = sendTime(root, in);
        ChannelConfig channel = channels.read(root.get("channel"), in);
        JsonNode message = in.object(root.get("message"), "message", true);
        ChannelRoute route = RouteJson.read(root, "", false, channels, in);
        if (channel != null) {
            RouteJson.checkMessagesFit(root, "", route, channel, channels, in);
        }
        boolean window = channel != null && RouteJson.hasMessagingWindow(route, channel, channels);
        Optional<String> tag = Optional.ofNullable(in.string(root, "tag", "tag", false, 64));
        if (tag.isPresent() && !StepMessaging.TAGS.contains(tag.get())) {
            in.fail("tag", "must be one of " + String.join(", ", new TreeSet<>(StepMessaging.TAGS)));
        } else if (tag.isPresent() && channel != null && !window) {
            in.fail("tag", "applies to Messenger broadcasts only");
        }
        // A broadcast's moment passes: outside the window it is skipped, or sent as a marketing message; never held.
        String outside = in.string(root, "outsideWindow", "outsideWindow", false, 32);
        if (outside != null && !outside.equals(StepMessaging.SKIP) && !outside.equals(StepMessaging.MARKETING_MESSAGE)) {
            in.fail("outsideWindow", "must be skip or marketing_message");
        } else if (outside != null && channel != null && !window) {
            in.fail("outsideWindow", "applies to Messenger broadcasts only");
        }
        JsonNode audience = in.object(root.get("audience"), "audience", true);
        List<AudienceMember> listed = new ArrayList<>();
        boolean everyone = false;
        Optional<Condition> match = Optional.empty();
        if (audience != null) {
            in.rejectUnknown(audience, "audience", AUDIENCE);
            listed = members(audience.get("subscribers"), in);
            JsonNode everyoneNode = audience.get("everyone");
            if (everyoneNode != null && !everyoneNode.isNull() && !everyoneNode.isBoolean()) {
                in.fail("audience.everyone", "must be true or false");
            }
            everyone = everyoneNode != null && everyoneNode.asBoolean(false);
            JsonNode matchNode = audience.get("match");
            if (matchNode != null && !matchNode.isNull()) {
                Condition condition = ConditionJson.parse(matchNode, "audience.match", in);
                if (condition != null && !Audience.testsAttributesOnly(condition)) {
                    in.fail("audience.match", "may test subscriber attributes only");
                }
                match = Optional.ofNullable(condition);
            }
            if (!in.hasErrors() && listed.isEmpty() && !everyone && match.isEmpty()) {
                in.fail("audience", "needs subscribers, everyone: true, or a match");
            }
        }
        boolean exempt = in.flag(root, "exempt", "exempt", false);
        in.throwIfInvalid();
        return new BroadcastRequest(time, channel, Json.write(message), tag, listed, everyone, match,
                StepMessaging.MARKETING_MESSAGE.equals(outside), exempt, route);
    }

    private static BroadcastTime sendTime(JsonNode root, FieldReader in) {
        String at = in.string(root, "sendAt", "sendAt", false, 64);
        String local = in.string(root, "sendAtLocal", "sendAtLocal", false, 64);
        Optional<ZoneId> fallback = TimingJson.timezone(root, "fallbackTimezone", "fallbackTimezone", in);
        if ((at == null) == (local == null)) {
            in.fail(at == null ? "sendAt" : "sendAtLocal", "give exactly one of sendAt (an instant) and sendAtLocal");
            return null;
        }
        if (at != null) {
            if (root.hasNonNull("fallbackTimezone")) {
                in.fail("fallbackTimezone", "applies to sendAtLocal only");
            }
            try {
                return new BroadcastTime.At(Instant.parse(at));
            } catch (DateTimeParseException e) {
                in.fail("sendAt", "must be an instant such as 2026-12-04T10:00:00Z");
                return null;
            }
        }
        try {
            return new BroadcastTime.Local(LocalDateTime.parse(local), fallback.orElse(ZoneId.of("UTC")));
        } catch (DateTimeParseException e) {
            in.fail("sendAtLocal", "must be a local date and time such as 2026-12-04T10:00, without offset");
            return null;
        }
    }

    private static List<AudienceMember> members(JsonNode node, FieldReader in) {
        List<AudienceMember> members = new ArrayList<>();
        if (node == null || node.isNull()) {
            return members;
        }
        if (!node.isArray()) {
            in.fail("audience.subscribers", "must be an array");
            return members;
        }
        if (node.size() > Audience.MAX_LISTED) {
            in.fail("audience.subscribers", "must list at most " + Audience.MAX_LISTED
                    + " subscribers; choose larger audiences with everyone or match");
            return members;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "audience.subscribers[" + i + "]";
            JsonNode entry = node.get(i);
            if (entry != null && entry.isTextual()) {
                entry = Json.object().put("subscriberId", entry.textValue());
            }
            if (in.object(entry, path, true) == null) {
                continue;
            }
            in.rejectUnknown(entry, path, MEMBER);
            String id = in.id(entry, "subscriberId", path + ".subscriberId");
            Optional<ZoneId> zone = TimingJson.timezone(entry, "timezone", path + ".timezone", in);
            JsonNode attributesNode = entry.get("attributes");
            Map<String, Optional<AttributeValue>> attributes = attributesNode == null || attributesNode.isNull() ? Map.of()
                    : AttributesJson.parse(attributesNode, path + ".attributes", in, false);
            if (id != null && !seen.add(id)) {
                in.fail(path + ".subscriberId", "lists the same subscriber twice");
            } else if (id != null && attributes != null) {
                members.add(new AudienceMember(id, zone, attributes));
            }
        }
        return members;
    }

    /** The API representation: the definition, its status and the figures so far. */
    public static ObjectNode write(BroadcastReport report, ChannelForms channels) {
        Broadcast b = report.broadcast();
        ObjectNode out = Json.object();
        out.put("broadcastId", b.id());
        out.put("account", b.account());
        out.put("status", report.status().wireName());
        writeTime(b.sendTime(), out);
        out.set("channel", channels.write(b.channel()));
        out.set("message", Json.read(b.message()));
        b.tag().ifPresent(t -> out.put("tag", t));
        if (b.marketingMessage()) {
            out.put("outsideWindow", StepMessaging.MARKETING_MESSAGE);
        }
        if (b.exempt()) {
            out.put("exempt", true);
        }
        RouteJson.write(b.route(), out, channels);
        ObjectNode audience = out.putObject("audience");
        audience.put("listed", b.audience().listed());
        audience.put("everyone", b.audience().everyone());
        b.audience().match().ifPresent(m -> audience.set("match", ConditionJson.write(m)));
        out.put("createdAt", b.createdAt().toString());
        b.cancelledAt().ifPresent(t -> out.put("cancelledAt", t.toString()));
        ObjectNode progress = out.putObject("progress");
        FanOutCursor fanOut = b.fanOut();
        progress.put("fanOut", fanOut.done() ? "done" : fanOut.failure().isPresent() ? "failed"
                : fanOut.started() ? "running" : "waiting");
        fanOut.failure().ifPresent(f -> progress.put("fanOutError", f));
        progress.put("pagesDone", fanOut.page());
        fanOut.startedAt().ifPresent(t -> progress.put("fanOutStartedAt", t.toString()));
        fanOut.finishedAt().ifPresent(t -> progress.put("fanOutFinishedAt", t.toString()));
        progress.put("audience", report.audience());
        progress.put("sent", report.sent());
        report.sentByChannel().forEach(progress.putObject("sentByChannel")::put);
        progress.put("failed", report.failedTotal());
        progress.put("skipped", report.skippedTotal());
        progress.put("unsettled", report.unsettled());
        return out;
    }

    /** The report: every figure, flat enough for {@link io.sequencer.adapters.report.ReportCsv}. */
    public static ObjectNode writeReport(BroadcastReport report) {
        ObjectNode out = Json.object();
        out.put("account", report.broadcast().account());
        out.put("broadcastId", report.broadcast().id());
        out.put("status", report.status().wireName());
        out.put("asOf", report.asOf().toString());
        out.put("audience", report.audience());
        out.put("sent", report.sent());
        report.sentByChannel().forEach(out.putObject("sentByChannel")::put);
        for (Engagement signal : Engagement.values()) {
            out.put(signal.wireName(), report.engagement().getOrDefault(signal, 0L));
        }
        ObjectNode failed = out.putObject("failed");
        report.failed().forEach(failed::put);
        ObjectNode skipped = out.putObject("skipped");
        report.skipped().forEach(skipped::put);
        out.put("unsettled", report.unsettled());
        report.rateOf(Engagement.READ).ifPresentOrElse(r -> out.put("readRate", r), () -> out.putNull("readRate"));
        report.rateOf(Engagement.CLICKED).ifPresentOrElse(r -> out.put("clickRate", r), () -> out.putNull("clickRate"));
        return out;
    }

    private static void writeTime(BroadcastTime time, ObjectNode out) {
        if (time instanceof BroadcastTime.At at) {
            out.put("sendAt", at.instant().toString());
        } else {
            BroadcastTime.Local local = (BroadcastTime.Local) time;
            out.put("sendAtLocal", local.local().toString());
            out.put("fallbackTimezone", local.fallback().getId());
        }
    }
}
