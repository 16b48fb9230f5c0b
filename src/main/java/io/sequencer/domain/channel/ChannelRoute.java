package io.sequencer.domain.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The channels a step (or a broadcast) may go out on, in order: its own {@code channel} (empty: its sequence's),
 * then its {@code fallback} channels, each with a message of its own or the step's. A later channel is tried only
 * when the ones before it would skip the message (see {@code ChannelChoice}); a failure on a channel is never moved
 * to another.
 */
public record ChannelRoute(Optional<ChannelConfig> channel, List<Fallback> fallback) {
    /** How many fallback channels a step or a broadcast may list. */
    public static final int MAX_FALLBACK = 3;
    /** The owner's channel alone, with no fallback: what every step was before steps had routes. */
    public static final ChannelRoute DEFAULT = new ChannelRoute(Optional.empty(), List.of());

    public ChannelRoute {
        if (channel == null || fallback == null) {
            throw new IllegalArgumentException("channel (possibly empty) and fallback (possibly empty) are required");
        }
        fallback = List.copyOf(fallback);
        if (fallback.size() > MAX_FALLBACK) {
            throw new IllegalArgumentException("at most " + MAX_FALLBACK + " fallback channels");
        }
    }

    /** Only a broadcast's or a step's fallback list, on the owner's own channel. */
    public static ChannelRoute fallingBackTo(List<Fallback> fallback) {
        return new ChannelRoute(Optional.empty(), fallback);
    }

    /** A fallback channel; {@code message} (a JSON object's text) replaces the step's message there when present. */
    public record Fallback(ChannelConfig channel, Optional<String> message) {
        public Fallback {
            if (channel == null || message == null) {
                throw new IllegalArgumentException("a fallback needs its channel and a message (possibly empty)");
            }
        }
    }

    /** One channel of the route, numbered from 0 (the first), with the message that goes on it. */
    public record Stop(int index, ChannelConfig channel, String message) {}

    public boolean hasFallback() {
        return !fallback.isEmpty();
    }

    /** The channel the message goes on first: the route's own, else {@code owners} (the sequence's). */
    public ChannelConfig first(ChannelConfig owners) {
        return channel.orElse(owners);
    }

    /** Every stop in order, for an owner whose channel is {@code owners} and whose message is {@code message}. */
    public List<Stop> stops(ChannelConfig owners, String message) {
        List<Stop> stops = new ArrayList<>(1 + fallback.size());
        stops.add(new Stop(0, first(owners), message));
        for (Fallback f : fallback) {
            stops.add(new Stop(stops.size(), f.channel(), f.message().orElse(message)));
        }
        return stops;
    }

    /** The channels this route names itself (not the owner's), for checks of their secrets and addresses. */
    public List<ChannelConfig> named() {
        List<ChannelConfig> named = new ArrayList<>();
        channel.ifPresent(named::add);
        fallback.forEach(f -> named.add(f.channel()));
        return named;
    }
}
