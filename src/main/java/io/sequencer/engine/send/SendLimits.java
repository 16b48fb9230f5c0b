package io.sequencer.engine.send;

import io.sequencer.engine.channel.Channels;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The limits every send of this app keeps, steps and broadcasts alike: the platforms' rates shared by all instances
 * (by channel type: calls per second to one destination), the per-destination bulkhead and circuit of one instance,
 * and the hold after a human conversation.
 */
public record SendLimits(Map<String, Double> ratePerDestination, int maxInstances, int sendsPerDestination,
                         Duration circuitOpenFor, Duration agentHold) {
    /** The limits as deployed when no setting says otherwise; the rates are the channel types' own. */
    public static final SendLimits DEFAULTS = new SendLimits(Map.of(), 100,
            DestinationGuard.DEFAULT_SENDS_PER_DESTINATION, Duration.ofSeconds(30), SendGate.DEFAULT_AGENT_HOLD);

    public SendLimits {
        ratePerDestination = Map.copyOf(ratePerDestination);
    }

    /** These limits with the rates given by channel type. */
    public SendLimits withRates(Map<String, Double> rates) {
        return new SendLimits(rates, maxInstances, sendsPerDestination, circuitOpenFor, agentHold);
    }

    /** One gate for steps and broadcasts: they share each destination's send budget, bulkhead and circuit. */
    public SendGate gate(Clock clock, Channels channels) {
        return new SendGate(agentHold, new SendBudget(ratePerDestination, maxInstances, clock),
                new DestinationGuard(sendsPerDestination, circuitOpenFor, clock), channels);
    }
}
