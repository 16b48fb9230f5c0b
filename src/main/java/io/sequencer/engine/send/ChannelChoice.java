package io.sequencer.engine.send;

import io.sequencer.domain.channel.ChannelRoute;
import io.sequencer.domain.enrollment.RoutePin;
import io.sequencer.engine.send.SendGate.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which channel of a route a message goes on: the first whose rules would not skip it. A channel that would skip it
 * (window closed and no usable token, no e-mail address, and so on: its rules' {@link Verdict.Skip}) passes it to the
 * next; a channel that holds it keeps it (it goes there later); when every channel would skip it, it is skipped for
 * the first channel's reason. A delivery pinned to a channel ({@link RoutePin#chosen}) asks that channel alone, so a
 * retry never moves to another; a pin {@link RoutePin#from} a stop asks no channel before it.
 */
public final class ChannelChoice {
    /** Reason recorded when a pinned channel is no longer on the step's route (the definition changed). */
    public static final String CHANNEL_REMOVED = "fallback_channel_removed";

    private ChannelChoice() {}

    /**
     * What came of the route: the stop the message goes on (or the last one asked, when skipped), its verdict, and
     * the reasons of the channels passed over before it, in order.
     */
    public record Choice(ChannelRoute.Stop stop, Verdict verdict, List<String> passedOver) {
        public Choice {
            passedOver = List.copyOf(passedOver);
        }

        /** Whether it goes on a later channel than its first one. */
        public boolean fellBack() {
            return stop.index() > 0;
        }
    }

    /**
     * The choice among {@code stops} (at least one), asking {@code verdictOf} for each in order as long as they would
     * skip, with {@code pin} (of this delivery, if any) restricting what may be asked.
     */
    public static Choice choose(List<ChannelRoute.Stop> stops, Optional<RoutePin> pin,
                                Function<ChannelRoute.Stop, Verdict> verdictOf) {
        if (stops.isEmpty()) {
            throw new IllegalArgumentException("a route has at least one channel");
        }
        int from = pin.map(RoutePin::stop).orElse(0);
        if (from >= stops.size()) {
            ChannelRoute.Stop last = stops.get(stops.size() - 1);
            return new Choice(last, new Verdict.Skip(CHANNEL_REMOVED), List.of());
        }
        if (pin.map(RoutePin::chosen).orElse(false)) {
            ChannelRoute.Stop pinned = stops.get(from);
            return new Choice(pinned, verdictOf.apply(pinned), List.of());
        }
        List<String> passedOver = new ArrayList<>();
        for (int i = from; i < stops.size(); i++) {
            ChannelRoute.Stop stop = stops.get(i);
            Verdict verdict = verdictOf.apply(stop);
            if (!(verdict instanceof Verdict.Skip skip)) {
                return new Choice(stop, verdict, passedOver);
            }
            passedOver.add(skip.reason());
        }
        return new Choice(stops.get(stops.size() - 1), new Verdict.Skip(passedOver.get(0)), passedOver);
    }
}
