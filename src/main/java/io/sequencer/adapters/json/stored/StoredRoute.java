package io.sequencer.adapters.json.stored;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.channel.ChannelRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A step's or a broadcast's channels in their stored form: its own {@code channel} (a step's) and its
 * {@code fallback}, an array of {@code {channel, message?}}, each channel in its type's stored form (names of secrets,
 * never values). An object without either reads as the default route: its owner's channel alone.
 */
final class StoredRoute {
    private StoredRoute() {}

    static void write(ChannelRoute route, ObjectNode node, StoredChannelForms channels) {
        route.channel().ifPresent(channel -> node.set("channel", channels.write(channel)));
        if (route.hasFallback()) {
            node.set("fallback", writeFallback(route, channels));
        }
    }

    static ArrayNode writeFallback(ChannelRoute route, StoredChannelForms channels) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (ChannelRoute.Fallback fallback : route.fallback()) {
            ObjectNode entry = list.addObject();
            entry.set("channel", channels.write(fallback.channel()));
            fallback.message().ifPresent(m -> entry.set("message", Json.read(m)));
        }
        return list;
    }

    static ChannelRoute read(StoredNode node, StoredChannelForms channels) {
        Optional<ChannelConfig> own = node.optionalChild("channel").map(channels::read);
        List<ChannelRoute.Fallback> fallback = readFallback(node.elements("fallback"), channels);
        return own.isEmpty() && fallback.isEmpty() ? ChannelRoute.DEFAULT : new ChannelRoute(own, fallback);
    }

    static List<ChannelRoute.Fallback> readFallback(List<StoredNode> entries, StoredChannelForms channels) {
        List<ChannelRoute.Fallback> fallback = new ArrayList<>();
        for (StoredNode entry : entries) {
            fallback.add(new ChannelRoute.Fallback(channels.read(entry.child("channel")),
                    entry.optionalChild("message").map(m -> Json.write(m.json()))));
        }
        return fallback;
    }
}
