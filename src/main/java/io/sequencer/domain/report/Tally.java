package io.sequencer.domain.report;

import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.subscriber.Engagement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Counts of what happened to a sequence's enrollments, by counter name. Tallies add up, so a sequence's figures
 * can be kept in many rows (one per writer and day) and summed when read.
 *
 * <p>Counts are exact under retries because they are read off the change of one enrollment's state
 * ({@link #between}), and every such change is written once, conditionally: a retried tick or a duplicated event
 * that changes nothing counts nothing.
 *
 * <p>Counter names are {@code |}-separated (ids never contain {@code |}): {@code enrolled}, {@code completed},
 * {@code restarted}, {@code left|<reason>}, and per step {@code step|<id>|<metric>} where the metric is
 * {@code scheduled}, {@code sent}, {@code via|<channel type>} (a send, by the channel it went on), an engagement ({@code delivered}, {@code read}, {@code clicked},
 * {@code replied}), {@code failed|<class>}, {@code skipped|<reason>}, {@code ms|<bucket>} for the time from
 * enrollment to the step's send ({@link LatencyBuckets}), or {@code waiting}.
 *
 * <p>{@code waiting} is a gauge, not a count of events: every change adds -1 for the step the enrollment waited
 * for before (if it was active) and +1 for the step it waits for after (if it is active), so its sum over all days
 * is the number of active enrollments waiting for the step now, whatever the transition (enroll, advance, branch,
 * leave, completion, re-entry, a move). A day's value alone may be negative.
 *
 * <p>Conversions: a goal ({@code left|goal}) counts {@code step|<id>|converted} for the last step sent before it,
 * and an unsubscribe (the host's, or the subscriber's opt-out) {@code step|<id>|unsubscribed} likewise. A step's A/B
 * variants (and a split's paths) count under {@code step|<id>|variant|<variant>|<metric>}: {@code exposed} when the
 * subscriber was sent the variant (or taken down the path), its engagement, and {@code converted} and
 * {@code unsubscribed} for every variant the enrollment was exposed to when it left. A life in the sequence's holdout
 * also counts {@code holdout|enrolled} and {@code holdout|left|<reason>}.
 */
public record Tally(Map<String, Long> counts) {
    public static final Tally EMPTY = new Tally(Map.of());

    public static final String ENROLLED = "enrolled";
    public static final String COMPLETED = "completed";
    /** A life ended by a re-entry ({@code always}) before it completed or left. */
    public static final String RESTARTED = "restarted";
    static final String LEFT = "left";
    static final String STEP = "step";
    public static final String SCHEDULED = "scheduled";
    public static final String SENT = "sent";
    public static final String FAILED = "failed";
    public static final String SKIPPED = "skipped";
    public static final String LATENCY = "ms";
    /** Sends by the channel they went on: {@code step|<id>|via|<channel type>}. */
    public static final String VIA = "via";
    public static final String WAITING = "waiting";
    public static final String CONVERTED = "converted";
    public static final String UNSUBSCRIBED = "unsubscribed";
    public static final String VARIANT = "variant";
    public static final String EXPOSED = "exposed";
    public static final String HOLDOUT = "holdout";

    public Tally {
        TreeMap<String, Long> copy = new TreeMap<>();
        counts.forEach((name, count) -> {
            if (count != 0) {
                copy.put(name, count);
            }
        });
        counts = Collections.unmodifiableMap(copy);
    }

    public boolean isEmpty() {
        return counts.isEmpty();
    }

    public long get(String name) {
        return counts.getOrDefault(name, 0L);
    }

    public Tally plus(Tally other) {
        if (other.isEmpty()) {
            return this;
        }
        TreeMap<String, Long> sum = new TreeMap<>(counts);
        other.counts.forEach((name, count) -> sum.merge(name, count, Long::sum));
        return new Tally(sum);
    }

    public static String left(LeaveReason reason) {
        return LEFT + "|" + reason.wireName();
    }

    public static String step(String stepId, String... metric) {
        return STEP + "|" + stepId + "|" + String.join("|", metric);
    }

    /** The counter of {@code metric} for {@code variant} of step {@code stepId}. */
    public static String variant(String stepId, String variant, String metric) {
        return step(stepId, VARIANT, variant, metric);
    }

    /** The holdout's share of counter {@code name}. */
    public static String heldOut(String name) {
        return HOLDOUT + "|" + name;
    }

    /** The UTC day a change is counted on: the day it was written. */
    public static LocalDate dayOf(Enrollment after) {
        return LocalDate.ofInstant(after.updatedAt(), ZoneOffset.UTC);
    }

    /** What changed between {@code before} (empty: no enrollment yet) and {@code after}, as counts. */
    public static Tally between(Optional<Enrollment> before, Enrollment after) {
        return events(before, after).plus(waiting(before, after));
    }

    /** The change of the {@code waiting} gauges from {@code before} to {@code after}. */
    static Tally waiting(Optional<Enrollment> before, Enrollment after) {
        TreeMap<String, Long> out = new TreeMap<>();
        before.filter(Enrollment::isActive).ifPresent(was -> out.merge(step(was.nextStepId(), WAITING), -1L, Long::sum));
        if (after.isActive()) {
            out.merge(step(after.nextStepId(), WAITING), 1L, Long::sum);
        }
        return new Tally(out);
    }

    private static Tally events(Optional<Enrollment> before, Enrollment after) {
        TreeMap<String, Long> out = new TreeMap<>();
        boolean newLife = after.isActive()
                && (before.isEmpty() || !before.get().isActive() || before.get().epoch() != after.epoch());
        if (newLife) {
            add(out, ENROLLED);
            if (after.heldOut()) {
                add(out, heldOut(ENROLLED));
            }
            add(out, step(after.nextStepId(), SCHEDULED));
            if (before.isPresent() && before.get().isActive()) {
                add(out, RESTARTED);
            }
            return new Tally(out);
        }
        if (before.isEmpty()) {
            return EMPTY; // a tombstone written where no enrollment was
        }
        Enrollment was = before.get();
        int kept = sameLifeRecords(was, after);
        for (int i = 0; i < kept; i++) {
            countNewEngagement(out, after.history().get(i), was.history().get(i).engagement());
        }
        boolean appended = kept == was.history().size();
        boolean stillLeft = was.status() == EnrollmentStatus.LEFT && after.status() == EnrollmentStatus.LEFT
                && after.epoch() == was.epoch();
        if (appended && (was.isActive() || stillLeft)) {
            // New records of an ongoing life, or of a send that finished after a leave ended its life.
            for (StepRecord record : after.history().subList(kept, after.history().size())) {
                countRecord(out, record, after.enrolledAt());
            }
        }
        if (was.isActive() && appended) {
            if (after.isActive() && after.cursor() != was.cursor()) {
                add(out, step(after.nextStepId(), SCHEDULED));
            }
            if (after.status() == EnrollmentStatus.COMPLETED) {
                add(out, COMPLETED);
            } else if (after.status() == EnrollmentStatus.LEFT) {
                LeaveReason reason = after.leaveReason().orElseThrow();
                add(out, left(reason));
                if (after.heldOut()) {
                    add(out, heldOut(left(reason)));
                }
                countConversion(out, after, reason);
            }
        }
        return new Tally(out);
    }

    /**
     * A goal or an unsubscribe, credited to the last step sent before it and to every variant the life was exposed
     * to. Counted with the leave itself, which is written once, so a retried event counts nothing more.
     */
    private static void countConversion(Map<String, Long> out, Enrollment left, LeaveReason reason) {
        String metric = switch (reason) {
            case GOAL -> CONVERTED;
            case UNSUBSCRIBED, OPTED_OUT -> UNSUBSCRIBED;
            default -> null;
        };
        if (metric == null) {
            return;
        }
        List<StepRecord> history = left.history();
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).outcome() == StepOutcome.SENT) {
                add(out, step(history.get(i).stepId(), metric));
                break;
            }
        }
        Set<String> credited = new HashSet<>();
        for (StepRecord record : history) {
            if (record.exposedToVariant()) {
                String name = variant(record.stepId(), record.variant().orElseThrow(), metric);
                if (credited.add(name)) {
                    add(out, name);
                }
            }
        }
    }

    /** How many leading records both states share (the same deliveries, so the same life). */
    private static int sameLifeRecords(Enrollment was, Enrollment after) {
        int common = Math.min(was.history().size(), after.history().size());
        for (int i = 0; i < common; i++) {
            if (!was.history().get(i).deliveryId().equals(after.history().get(i).deliveryId())) {
                return i;
            }
        }
        return common;
    }

    private static void countRecord(Map<String, Long> out, StepRecord record, Instant enrolledAt) {
        switch (record.outcome()) {
            case SENT -> {
                add(out, step(record.stepId(), SENT));
                record.channel().ifPresent(channel -> add(out, step(record.stepId(), VIA, channel)));
                long millis = Math.max(0, Duration.between(enrolledAt, record.at()).toMillis());
                add(out, step(record.stepId(), LATENCY, Integer.toString(LatencyBuckets.bucketOf(millis))));
            }
            case FAILED -> add(out, step(record.stepId(), FAILED, record.failureClass()));
            case SKIPPED -> add(out, step(record.stepId(), SKIPPED, record.skipReason()));
        }
        if (record.exposedToVariant()) {
            add(out, variant(record.stepId(), record.variant().orElseThrow(), EXPOSED));
        }
        countNewEngagement(out, record, Set.of());
    }

    private static void countNewEngagement(Map<String, Long> out, StepRecord record, Set<Engagement> known) {
        for (Engagement signal : record.engagement()) {
            if (!known.contains(signal)) {
                add(out, step(record.stepId(), signal.wireName()));
                if (record.exposedToVariant()) {
                    add(out, variant(record.stepId(), record.variant().orElseThrow(), signal.wireName()));
                }
            }
        }
    }

    private static void add(Map<String, Long> out, String name) {
        out.merge(name, 1L, Long::sum);
    }
}
