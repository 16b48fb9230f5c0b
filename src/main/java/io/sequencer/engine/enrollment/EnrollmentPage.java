package io.sequencer.engine.enrollment;

import io.sequencer.domain.enrollment.Enrollment;
import java.util.List;
import java.util.Optional;

/**
 * One page of a sequence's enrollments in subscriber-id order. {@code next} is where the following page starts,
 * in the store's own terms (the service's continuation for Table storage), present while the sequence may hold
 * more; a page may be shorter than asked (even empty) and still have a next, when the store stopped reading
 * before it found enough matches.
 */
public record EnrollmentPage(List<Enrollment> enrollments, Optional<String> next) {
    public EnrollmentPage {
        enrollments = List.copyOf(enrollments);
    }
}
