package io.sequencer.engine.enrollment;

import io.sequencer.domain.Ids;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which enrollments a listing wants: those in one of {@code statuses} (every status when empty) and, when
 * {@code stepId} is given, waiting for that step (only an active enrollment waits for one).
 */
public record EnrollmentFilter(Set<EnrollmentStatus> statuses, Optional<String> stepId) {
    public static final EnrollmentFilter ALL = new EnrollmentFilter(Set.of(), Optional.empty());

    public EnrollmentFilter {
        statuses = statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
        stepId.ifPresent(id -> Ids.require("stepId", id));
    }

    public boolean matches(Enrollment enrollment) {
        return (statuses.isEmpty() || statuses.contains(enrollment.status()))
                && stepId.map(id -> id.equals(enrollment.nextStepId())).orElse(true);
    }

    /** The filter in a fixed text form (statuses in declaration order), which a continuation token is bound to. */
    String canonical() {
        String status = statuses.stream().sorted().map(EnrollmentStatus::wireName).collect(Collectors.joining(","));
        return "status=" + status + "&stepId=" + stepId.orElse("");
    }
}
