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
 * channel). {@code variant} names the A/B variant the subscriber was sent, or the step a split sent them on to;
 * empty for a step without either.
 */
public record StepRecord(String stepId, String deliveryId, StepOutcome outcome, Instant at, int attempts, String detail,
                         Set<Engagement> engagement, Optional<String> channel, Optional<String> variant) {
    /** Details are error summaries from channels; keep them short so the enrollment entity stays small. */
    static final int MAX_DETAIL = 200;
    /** How the detail of a step whose transient failures outlasted every retry begins. */
    public static final String GAVE_UP = "gave up after ";
    /** How the detail of a step begins when the destination said the subscriber cannot be reached. */
    public static final String UNREACHABLE = "recipient unreachable: ";

    /** The detail of a step skipped because its enrollment is in the sequence's holdout (its control group). */
    public static final String HELD_OUT = "held_out";
    /** How the detail of a step that a split sent elsewhere begins. */
    public static final String SPLIT_TO = "split to ";

    public StepRecord {
        if (variant == null) {
            throw new IllegalArgumentException("variant may be empty, not null");
        }
        detail = detail == null ? "" : detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail;
        engagement = engagement.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(engagement));
        if (channel == null) {
            throw new IllegalArgumentException("channel may be empty, not null");
        }
    }

    /** A record with {@code engagement}, of no channel and no variant. */
    public StepRecord(String stepId, String deliveryId, StepOutcome outcome, Instant at, int attempts, String detail,
                      Set<Engagement> engagement) {
        this(stepId, deliveryId, outcome, at, attempts, detail, engagement, Optional.empty(), Optional.empty());
    }

    /** This record as made on the channel of type {@code channelType}. */
    public StepRecord on(String channelType) {
        return new StepRecord(stepId, deliveryId, outcome, at, attempts, detail, engagement, Optional.of(channelType),
                variant);
    }

    /** A record with no engagement yet. */
    public StepRecord(String stepId, String deliveryId, StepOutcome outcome, Instant at, int attempts, String detail) {
        this(stepId, deliveryId, outcome, at, attempts, detail, Set.of());
    }

    /** This record naming {@code chosen} as its variant (or split path). */
    public StepRecord withVariant(Optional<String> chosen) {
        return new StepRecord(stepId, deliveryId, outcome, at, attempts, detail, engagement, channel, chosen);
    }

    /**
     * True when the subscriber met this record's variant: it was sent, or a split sent them on its path. Only such
     * records count as exposures in an A/B test; a failed send was never seen.
     */
    public boolean exposedToVariant() {
        return variant.isPresent() && outcome != StepOutcome.FAILED;
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
        return new StepRecord(stepId, deliveryId, outcome, at, attempts, detail, all, channel, variant);
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
     * Why a skipped step was skipped, as a code fit for a report column: {@code branched}, {@code split},
     * {@code condition_not_met}, or the engine's own code ({@code held_out}, {@code disabled}, {@code outside_messaging_window}, {@code no_email_address}).
     */
    public String skipReason() {
        if (detail.startsWith(SPLIT_TO)) {
            return "split";
        }
        if (detail.startsWith("branched to ")) {
            return "branched";
        }
        if (detail.startsWith("condition not met")) {
            return "condition_not_met";
        }
        return detail.matches("[a-z_]{1,40}") ? detail : "other";
    }
}
