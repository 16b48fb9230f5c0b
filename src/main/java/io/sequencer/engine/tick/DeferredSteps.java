package io.sequencer.engine.tick;

import io.sequencer.domain.channel.DeliveryDeferral;
import io.sequencer.domain.enrollment.DeferredStep;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The steps this instance put off because their destination's circuit is open, by enrollment, so that the
 * enrollment's detail and the subscriber's timeline can say why a step is late. In memory, like the circuit it
 * reflects: nothing is written to storage for it, and another instance shows only what it deferred itself.
 */
public final class DeferredSteps {
    /** Beyond this many waiting enrollments, new ones are not listed (their ticks are deferred all the same). */
    static final int MAX_LISTED = 10_000;
    private static final Duration FORGOTTEN_AFTER = Duration.ofHours(1);

    private final Map<EnrollmentKey, DeferredStep> byKey = new ConcurrentHashMap<>();

    void deferred(EnrollmentKey key, long epoch, String stepId, DeliveryDeferral deferral) {
        if (byKey.size() >= MAX_LISTED && !byKey.containsKey(key)) {
            // Entries of ticks that another instance took over, or that found their enrollment moved on.
            byKey.values().removeIf(step -> step.until().plus(FORGOTTEN_AFTER).isBefore(deferral.at()));
            if (byKey.size() >= MAX_LISTED) {
                return;
            }
        }
        byKey.compute(key, (k, old) -> old != null && old.epoch() == epoch && old.stepId().equals(stepId)
                ? old.until(deferral.until())
                : new DeferredStep(epoch, stepId, deferral.destination(), deferral.at(), deferral.until()));
    }

    /** The step went ahead (or the tick found nothing to send): it waits no more. */
    void wentAhead(EnrollmentKey key) {
        byKey.remove(key);
    }

    /** The step {@code enrollment} is waiting to send, when this instance put it off for an open circuit. */
    public Optional<DeferredStep> of(Enrollment enrollment) {
        return Optional.ofNullable(byKey.get(enrollment.key())).filter(step -> step.isCurrentFor(enrollment));
    }
}
