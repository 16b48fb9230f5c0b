package io.sequencer.engine;

import io.sequencer.domain.Enrollment;

/** The result of an enroll call: the enrollment and whether this call started it. */
public record EnrollResult(Enrollment enrollment, boolean created) {}
