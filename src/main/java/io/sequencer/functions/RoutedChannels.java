package io.sequencer.functions;

import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.channel.ChannelRoute;
import io.sequencer.domain.sequence.Step;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every channel a definition names, keyed by where its channel object sits in the request, for the checks. */
final class RoutedChannels {
    private RoutedChannels() {}

    /** A sequence's channel (at the top) and each step's own and fallback channels. */
    static Map<String, ChannelConfig> ofSequence(ChannelConfig channel, List<Step> steps) {
        Map<String, ChannelConfig> all = new LinkedHashMap<>();
        all.put("", channel);
        for (int i = 0; i < steps.size(); i++) {
            add(all, "steps[" + i + "].", steps.get(i).route());
        }
        return all;
    }

    /** A broadcast's channel and its fallback channels. */
    static Map<String, ChannelConfig> ofBroadcast(ChannelConfig channel, ChannelRoute route) {
        Map<String, ChannelConfig> all = new LinkedHashMap<>();
        all.put("", channel);
        add(all, "", route);
        return all;
    }

    private static void add(Map<String, ChannelConfig> all, String prefix, ChannelRoute route) {
        route.channel().ifPresent(own -> all.put(prefix, own));
        for (int j = 0; j < route.fallback().size(); j++) {
            all.put(prefix + "fallback[" + j + "].", route.fallback().get(j).channel());
        }
    }
}
