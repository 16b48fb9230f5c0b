package io.sequencer.engine.send;

import java.time.Clock;
import java.time.Duration;

/**
 * The limits every send of this app keeps, steps and broadcasts alike: the platforms' rates shared by all instances,
 * the per-destination bulkhead and circuit of one instance, and Messenger's hold after a human conversation.
 */
public record SendLimits(double messengerPerPage, double sendGridPerSender, int maxInstances, int sendsPerDestination,
                         Duration circuitOpenFor, Duration agentHold) {
    /** The limits as deployed when no setting says otherwise. */
    public static final SendLimits DEFAULTS = new SendLimits(300, 100, 100,
            DestinationGuard.DEFAULT_SENDS_PER_DESTINATION, Duration.ofSeconds(30), SendGate.DEFAULT_AGENT_HOLD);

    /** One gate for steps and broadcasts: they share each destination's send budget, bulkhead and circuit. */
    public SendGate gate(Clock clock) {
        return new SendGate(agentHold, new SendBudget(messengerPerPage, sendGridPerSender, maxInstances, clock),
                new DestinationGuard(sendsPerDestination, circuitOpenFor, clock));
    }
}
