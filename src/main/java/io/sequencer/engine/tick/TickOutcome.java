package io.sequencer.engine.tick;

import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.StepOutcome;
import java.time.Duration;

/** What handling one tick did; logged once per tick. */
public sealed interface TickOutcome {

    /** The step was sent or failed for good, and the enrollment moved on. */
    record Done(DeliveryId deliveryId, String stepId, StepOutcome outcome, Duration lateness, String detail,
                boolean completed) implements TickOutcome {}

    /** A transient failure: the same tick comes back after {@code after}. */
    record RetryLater(DeliveryId deliveryId, String stepId, int attempt, Duration after, String reason)
            implements TickOutcome {}

    /** Woke before the step was due (a hop over the 7-day visibility cap, or clock skew): sleeps again. */
    record Hop(String stepId, Duration after) implements TickOutcome {}

    /** The enrollment has not caught up with this tick yet: looks again after {@code after}. */
    record Wait(String reason, Duration after) implements TickOutcome {}

    /** The tick no longer matters. */
    record Dropped(String reason) implements TickOutcome {}
}
