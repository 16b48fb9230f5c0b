package io.sequencer.domain.enrollment;

import io.sequencer.domain.Ids;

/** Identifies one subscriber's place in one sequence of one account. */
public record EnrollmentKey(String account, String sequenceId, String subscriberId) {
    public EnrollmentKey {
        Ids.require("account", account);
        Ids.require("sequenceId", sequenceId);
        Ids.require("subscriberId", subscriberId);
    }
}
