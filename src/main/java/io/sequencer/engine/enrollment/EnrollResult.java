package io.sequencer.engine.enrollment;

import io.sequencer.domain.enrollment.Enrollment;

/** The result of an enroll call: the enrollment and whether this call started it. */
public record EnrollResult(Enrollment enrollment, boolean created) {}
