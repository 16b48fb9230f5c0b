package io.sequencer.domain.enrollment;

import java.time.Instant;

/**
 * An enrollment's step that is waiting for its destination's circuit: put off first at {@code since}, now until
 * {@code until}; for {@code epoch} of the enrollment, so a later life never shows it.
 */
public record DeferredStep(long epoch, String stepId, String destination, Instant since, Instant until) {

    /** The same wait, put off again. */
    public DeferredStep until(Instant later) {
        return new DeferredStep(epoch, stepId, destination, since, later);
    }

    /** Whether this is the step {@code enrollment} is waiting to send now. */
    public boolean isCurrentFor(Enrollment enrollment) {
        return enrollment.status() == EnrollmentStatus.ACTIVE && enrollment.epoch() == epoch
                && stepId.equals(enrollment.nextStepId());
    }
}
