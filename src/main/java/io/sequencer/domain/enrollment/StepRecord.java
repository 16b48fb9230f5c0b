package io.sequencer.domain.enrollment;

import io.sequencer.domain.subscriber.Engagement;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The record of one step's fate for one enrollment, with what the subscriber did with it since: kept with the
 * enrollment, shown by its GET, and read by step conditions. {@code channel} is the type of the channel a sent or
 * failed step went on (empty for a skipped one, and for records written before steps could fall back to another
 * channel).
 */
public record StepRecord(String stepId, String deliveryId, StepOutcome outcome, Instant at, int attempts, String detail,
                         Set<Engagement> engagement, Optional<String> channel) {
    /** Details are error summaries from channels; keep them short so the enrollment entity stays small. */
    static final int MAX_DETAIL = 200;
    /** How the detail of a step whose transient failures outlasted every retry begins. */
    public static final String GAVE_UP = "gave up after ";
    /** How the detail of a step begins when the destination said the subscriber cannot be reached. */
    public static final String UNREACHABLE = "recipient unreachable: ";

    public StepRecord {
        detail = detail == null ? "" : detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail;
        engagement = engagement.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(engagement));
        if (channel == null) {
            throw new IllegalArgumentException("channel may be empty, not null");
        }
    }

    /** A record with {@code engagement}, of no channel. */
    public StepRecord(String stepId, String deliveryId, StepOutcome outcome, Instant at, int attempts, String detail,
                      Set<Engagement> engagement) {
        this(stepId, deliveryId, outcome, at, attempts, detail, engagement, Optional.empty());
    }

    /** This record as made on the channel of type {@code channelType}. */
    public StepRecord on(String channelType) {
        return new StepRecord(stepId, deliveryId, outcome, at, attempts, detail, engagement, Optional.of(channelType));
    }

    /** A record with no engagement yet. */
    public StepRecord(String stepId, String deliveryId, StepOutcome outcome, Instant at, int attempts, String detail) {
        this(stepId, deliveryId, outcome, at, attempts, detail, Set.of());
    }

    public boolean has(Engagement signal) {
        return engagement.contains(signal);
    }

    /** This record with {@code signal} (and what it implies) added; the same record when nothing is new. */
    public StepRecord engaged(Engagement signal) {
        if (engagement.containsAll(signal.withImplied())) {
            return this;
        }
        EnumSet<Engagement> all = EnumSet.noneOf(Engagement.class);
        all.addAll(engagement);
        all.addAll(signal.withImplied());
        return new StepRecord(stepId, deliveryId, outcome, at, attempts, detail, all, channel);
    }

    /**
     * Why a failed step failed, as a class: {@code transient} (every retry of a passing error failed),
     * {@code recipient_gone} (the subscriber blocked the page or no longer exists), else {@code permanent}.
     */
    public String failureClass() {
        return failureClassOf(detail);
    }

    /** The class of a failed step recorded with {@code detail}; see {@link #failureClass()}. */
    public static String failureClassOf(String detail) {
        if (detail.startsWith(GAVE_UP)) {
            return "transient";
        }
        return detail.startsWith(UNREACHABLE) ? "recipient_gone" : "permanent";
    }

    /**
     * Why a skipped step was skipped, as a code fit for a report column: {@code branched}, {@code condition_not_met},
     * or the engine's own code ({@code disabled}, {@code outside_messaging_window}, {@code no_email_address}).
     */
    public String skipReason() {
        if (detail.startsWith("branched to ")) {
            return "branched";
        }
        if (detail.startsWith("condition not met")) {
            return "condition_not_met";
        }
        return detail.matches("[a-z_]{1,40}") ? detail : "other";
    }
}
