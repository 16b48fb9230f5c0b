package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.channel.ChannelRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A step's or a broadcast's channels in the HTTP API: its own {@code channel} (a step's only; a channel object of the
 * same shape as the sequence's) and its {@code fallback} list of {@code {channel, message}}, each message optional
 * (the step's, when absent) and checked against its channel.
 */
final class RouteJson {
    static final String CHANNEL = "channel";
    static final String FALLBACK = "fallback";
    private static final Set<String> ENTRY = Set.of(CHANNEL, "message");

    private RouteJson() {}

    /**
     * The route of the object {@code owner} at {@code path} ({@code steps[0]}, or empty for a broadcast's body), its
     * own channel read only when {@code ownChannel}; problems recorded at their fields.
     */
    static ChannelRoute read(JsonNode owner, String path, boolean ownChannel, ChannelForms channels, FieldReader in) {
        String at = path.isEmpty() ? "" : path + ".";
        Optional<ChannelConfig> own = Optional.empty();
        if (ownChannel && owner.hasNonNull(CHANNEL)) {
            own = Optional.ofNullable(channels.read(owner.get(CHANNEL), in.under(at)));
        }
        List<ChannelRoute.Fallback> fallback = new ArrayList<>();
        JsonNode list = owner.get(FALLBACK);
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                in.fail(at + FALLBACK, "must be an array of {channel, message}");
            } else if (list.size() > ChannelRoute.MAX_FALLBACK) {
                in.fail(at + FALLBACK, "must list at most " + ChannelRoute.MAX_FALLBACK + " channels");
            } else {
                for (int i = 0; i < list.size(); i++) {
                    String entryPath = at + FALLBACK + "[" + i + "]";
                    JsonNode entry = in.object(list.get(i), entryPath, true);
                    if (entry == null) {
                        continue;
                    }
                    in.rejectUnknown(entry, entryPath, ENTRY);
                    ChannelConfig channel = channels.read(entry.get(CHANNEL), in.under(entryPath + "."));
                    JsonNode message = in.object(entry.get("message"), entryPath + ".message", false);
                    if (channel != null) {
                        fallback.add(new ChannelRoute.Fallback(channel, Optional.ofNullable(message).map(Json::write)));
                    }
                }
            }
        }
        return new ChannelRoute(own, fallback);
    }

    /**
     * Checks that each channel of {@code route} can send its message: the owner's {@code message} on the first
     * channel ({@code owners}, unless the route names its own), and on each fallback channel its own message or,
     * when it has none, the owner's (a problem then named at the fallback's {@code message}).
     */
    static void checkMessagesFit(JsonNode owner, String path, ChannelRoute route, ChannelConfig owners,
                                 ChannelForms channels, FieldReader in) {
        String at = path.isEmpty() ? "" : path + ".";
        JsonNode message = owner.get("message");
        ChannelConfig first = route.channel().orElse(owners);
        if (first != null && message != null && message.isObject()) {
            channels.checkMessageFits(message, first, at + "message", in);
        }
        for (int i = 0; i < route.fallback().size(); i++) {
            ChannelRoute.Fallback fallback = route.fallback().get(i);
            String entryPath = at + FALLBACK + "[" + i + "].message";
            JsonNode own = fallback.message().map(Json::read).orElse(message);
            if (own != null && own.isObject()) {
                channels.checkMessageFits(own, fallback.channel(), entryPath, in);
            }
        }
    }

    /** Whether any channel of the route ({@code owners} first, unless it names its own) has a messaging window. */
    static boolean hasMessagingWindow(ChannelRoute route, ChannelConfig owners, ChannelForms channels) {
        ChannelConfig first = route.channel().orElse(owners);
        return (first != null && channels.hasMessagingWindow(first))
                || route.fallback().stream().anyMatch(f -> channels.hasMessagingWindow(f.channel()));
    }

    /** Writes the route's own channel and fallback list into {@code out}; nothing for the default route. */
    static void write(ChannelRoute route, ObjectNode out, ChannelForms channels) {
        route.channel().ifPresent(channel -> out.set(CHANNEL, channels.write(channel)));
        if (route.hasFallback()) {
            ArrayNode list = out.putArray(FALLBACK);
            for (ChannelRoute.Fallback fallback : route.fallback()) {
                ObjectNode entry = list.addObject();
                entry.set(CHANNEL, channels.write(fallback.channel()));
                fallback.message().ifPresent(m -> entry.set("message", Json.read(m)));
            }
        }
    }
}
