package io.sequencer.domain;

import java.time.Instant;

/** The record of one step's fate for one enrollment: kept with the enrollment and shown by its GET. */
public record StepRecord(String stepId, String deliveryId, StepOutcome outcome, Instant at, int attempts, String detail) {
    /** Details are error summaries from channels; keep them short so the enrollment entity stays small. */
    public static final int MAX_DETAIL = 200;

    public StepRecord {
        detail = detail == null ? "" : detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail;
    }
}
