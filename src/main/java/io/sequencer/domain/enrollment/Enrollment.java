package io.sequencer.domain.enrollment;

import io.sequencer.domain.notification.Outbox;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.subscriber.Engagement;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One subscriber's progress through one sequence.
 *
 * <p>{@code epoch} changes on every enroll and leave, so ticks scheduled for an earlier life of the
 * enrollment are recognised as stale. {@code cursor} counts the steps already done in this epoch;
 * {@code timerToken} names the one tick that may act next: any other copy (a duplicate enqueued by a
 * handler that crashed before it committed) is superseded and dropped. {@code routePin} remembers, for the
 * delivery being made, which of its step's channels it goes on (only for steps with fallback channels).
 * {@code heldOut} puts this life in the sequence's holdout (its control group): its steps are recorded as held out,
 * none is sent. It is drawn when the life starts, so a later change of the holdout's size leaves running enrollments
 * where they are.
 */
public record Enrollment(
        EnrollmentKey key,
        EnrollmentStatus status,
        long epoch,
        int cursor,
        String nextStepId,
        Instant nextDueAt,
        String timerToken,
        Optional<ZoneId> timezone,
        Origin origin,
        Optional<LeaveReason> leaveReason,
        Instant enrolledAt,
        Instant updatedAt,
        List<StepRecord> history,
        Set<Engagement> pendingEngagement,
        Outbox outbox,
        Optional<RoutePin> routePin,
        boolean heldOut) {

    public Enrollment {
        if (key == null || status == null || enrolledAt == null || updatedAt == null || timezone == null
                || origin == null || leaveReason == null || outbox == null || routePin == null) {
            throw new IllegalArgumentException("key, status, timezone, origin, leaveReason and timestamps are required");
        }
        if (epoch < 1 || cursor < 0) {
            throw new IllegalArgumentException("epoch starts at 1 and cursor at 0");
        }
        boolean waiting = status == EnrollmentStatus.ACTIVE;
        if (waiting != (nextStepId != null && nextDueAt != null && timerToken != null)) {
            throw new IllegalArgumentException("an active enrollment, and only it, has a next step, due time and timer");
        }
        if (leaveReason.isPresent() != (status == EnrollmentStatus.LEFT)) {
            throw new IllegalArgumentException("a left enrollment, and only it, has a leave reason");
        }
        history = List.copyOf(history);
        pendingEngagement = pendingEngagement.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(pendingEngagement));
    }

    /** An enrollment with no channel pinned for a delivery, outside any holdout. */
    public Enrollment(EnrollmentKey key, EnrollmentStatus status, long epoch, int cursor, String nextStepId,
                      Instant nextDueAt, String timerToken, Optional<ZoneId> timezone, Origin origin,
                      Optional<LeaveReason> leaveReason, Instant enrolledAt, Instant updatedAt, List<StepRecord> history,
                      Set<Engagement> pendingEngagement, Outbox outbox) {
        this(key, status, epoch, cursor, nextStepId, nextDueAt, timerToken, timezone, origin, leaveReason, enrolledAt,
                updatedAt, history, pendingEngagement, outbox, Optional.empty(), false);
    }

    /** This enrollment with {@code pin} written for the delivery being made, at {@code now}. */
    public Enrollment pinned(RoutePin pin, Instant now) {
        return new Enrollment(key, status, epoch, cursor, nextStepId, nextDueAt, timerToken, timezone, origin,
                leaveReason, enrolledAt, now, history, pendingEngagement, outbox, Optional.of(pin), heldOut);
    }

    /** The pin of {@code deliveryId}, if this enrollment holds one for it. */
    public Optional<RoutePin> pinOf(String deliveryId) {
        return routePin.filter(pin -> pin.pins(deliveryId));
    }

    /** A fresh enrollment in {@code epoch}, waiting for {@code first}, due at {@code dueAt}. */
    public static Enrollment start(EnrollmentKey key, long epoch, Step first, Instant dueAt, Instant now,
                                   String timerToken, Optional<ZoneId> timezone, Origin origin) {
        return start(key, epoch, first, dueAt, now, timerToken, timezone, origin, false);
    }

    /** A fresh enrollment in {@code epoch}, in the sequence's holdout when {@code heldOut}. */
    public static Enrollment start(EnrollmentKey key, long epoch, Step first, Instant dueAt, Instant now,
                                   String timerToken, Optional<ZoneId> timezone, Origin origin, boolean heldOut) {
        return new Enrollment(key, EnrollmentStatus.ACTIVE, epoch, 0, first.id(), dueAt, timerToken, timezone, origin,
                Optional.empty(), now, now, List.of(), Set.of(), Outbox.EMPTY, Optional.empty(), heldOut);
    }

    /**
     * A left enrollment written where none existed yet, so that an enroll racing a global opt-out finds it and
     * looks again instead of creating an active enrollment the opt-out never saw.
     */
    public static Enrollment tombstone(EnrollmentKey key, LeaveReason reason, Instant now) {
        return new Enrollment(key, EnrollmentStatus.LEFT, 1, 0, null, null, null, Optional.empty(), Origin.HOST,
                Optional.of(reason), now, now, List.of(), Set.of(), Outbox.EMPTY);
    }

    /** True for a {@link #tombstone}: nothing was ever started here (every real leave moves the epoch past 1). */
    public boolean isTombstone() {
        return status == EnrollmentStatus.LEFT && epoch == 1;
    }

    public boolean isActive() {
        return status == EnrollmentStatus.ACTIVE;
    }

    public long stepsSent() {
        return history.stream().filter(r -> r.outcome() == StepOutcome.SENT).count();
    }

    /**
     * The epoch of the life this enrollment shows: its own, or for a left one the epoch before (a leave moves the
     * epoch on by one so that the ticks of the life it ended are stale, and keeps that life's start and steps).
     */
    public long lifeEpoch() {
        return status == EnrollmentStatus.LEFT && !isTombstone() ? epoch - 1 : epoch;
    }

    /** The subscriber left: pending ticks carry the old epoch and will be dropped. */
    public Enrollment leave(LeaveReason reason, Instant now) {
        return new Enrollment(key, EnrollmentStatus.LEFT, epoch + 1, cursor, null, null, null, timezone, origin,
                Optional.of(reason), enrolledAt, now, history, Set.of(), outbox, Optional.empty(), heldOut);
    }

    /** This enrollment with lifecycle events waiting in {@code newOutbox}. */
    public Enrollment withOutbox(Outbox newOutbox) {
        return new Enrollment(key, status, epoch, cursor, nextStepId, nextDueAt, timerToken, timezone, origin,
                leaveReason, enrolledAt, updatedAt, history, pendingEngagement, newOutbox, routePin, heldOut);
    }

    /** The step at {@code cursor} showed the subscriber cannot be reached: record it and leave for {@code reason}. */
    public Enrollment leaveAfter(StepRecord done, LeaveReason reason, Instant now) {
        return new Enrollment(key, EnrollmentStatus.LEFT, epoch + 1, cursor + 1, null, null, null, timezone, origin,
                Optional.of(reason), enrolledAt, now, append(done), Set.of(), outbox, Optional.empty(), heldOut);
    }

    /**
     * True when this enrollment was ended by a leave of the life {@code tickEpoch} (a leave moves the epoch on by
     * one and keeps that life's history), so a send of that life that finished after the leave belongs here.
     */
    public boolean leftAfterLife(long tickEpoch) {
        return status == EnrollmentStatus.LEFT && epoch == tickEpoch + 1 && !isTombstone();
    }

    /**
     * {@code done}, a step whose send finished after this enrollment left, added to the history of the life that
     * ended; status, epoch, cursor and the leave's time stay as they are.
     */
    public Enrollment recordedAfterLeaving(StepRecord done) {
        List<StepRecord> all = new ArrayList<>(history);
        all.add(done);
        return new Enrollment(key, status, epoch, cursor, nextStepId, nextDueAt, timerToken, timezone, origin,
                leaveReason, enrolledAt, updatedAt, all, pendingEngagement, outbox, routePin, heldOut);
    }

    /** True when the history holds a record under {@code deliveryId}. */
    public boolean hasRecordOf(String deliveryId) {
        return history.stream().anyMatch(r -> r.deliveryId().equals(deliveryId));
    }

    /** The same state written again, so that writers holding the old ETag must look again. */
    public Enrollment touched(Instant now) {
        return new Enrollment(key, status, epoch, cursor, nextStepId, nextDueAt, timerToken, timezone, origin,
                leaveReason, enrolledAt, now, history, pendingEngagement, outbox, routePin, heldOut);
    }

    /** The awaited event came: the next step is due at {@code dueAt} under a new timer; the old one is superseded. */
    public Enrollment released(Instant dueAt, String newTimerToken, Instant now) {
        return new Enrollment(key, status, epoch, cursor, nextStepId, dueAt, newTimerToken, timezone, origin,
                leaveReason, enrolledAt, now, history, pendingEngagement, outbox, routePin, heldOut);
    }

    /** The history with each record {@code which} selects engaged by {@code signal}; the same when nothing is new. */
    public Enrollment engaged(Predicate<StepRecord> which, Engagement signal, Instant now) {
        List<StepRecord> updated = new ArrayList<>(history.size());
        boolean changed = false;
        for (StepRecord record : history) {
            StepRecord next = which.test(record) ? record.engaged(signal) : record;
            changed |= next != record;
            updated.add(next);
        }
        return !changed ? this : new Enrollment(key, status, epoch, cursor, nextStepId, nextDueAt, timerToken, timezone,
                origin, leaveReason, enrolledAt, now, updated, pendingEngagement, outbox, routePin, heldOut);
    }

    /** The last record of {@code stepId} in this enrollment's history. */
    public Optional<StepRecord> lastRecordOf(String stepId) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).stepId().equals(stepId)) {
                return Optional.of(history.get(i));
            }
        }
        return Optional.empty();
    }

    /** The step at {@code cursor} is done; the enrollment waits for {@code next} (due at {@code dueAt}) under a new timer. */
    public Enrollment advance(StepRecord done, Step next, Instant dueAt, String nextTimerToken, Instant now) {
        return new Enrollment(key, EnrollmentStatus.ACTIVE, epoch, cursor + 1, next.id(), dueAt, nextTimerToken,
                timezone, origin, Optional.empty(), enrolledAt, now, append(done), Set.of(), outbox, Optional.empty(), heldOut);
    }

    /**
     * Moved by the host to wait for {@code target}, due at {@code dueAt} under a new timer: the cursor moves on by
     * one, so the tick of the step it waited for is stale and the moved step's delivery id is new; the life (epoch,
     * history) goes on.
     */
    public Enrollment movedTo(Step target, Instant dueAt, String newTimerToken, Instant now) {
        if (!isActive()) {
            throw new IllegalStateException("only an active enrollment moves to another step");
        }
        return new Enrollment(key, status, epoch, cursor + 1, target.id(), dueAt, newTimerToken, timezone, origin,
                leaveReason, enrolledAt, now, history, Set.of(), outbox, Optional.empty(), heldOut);
    }

    /** The step at {@code cursor} was the last one. */
    public Enrollment complete(StepRecord done, Instant now) {
        return new Enrollment(key, EnrollmentStatus.COMPLETED, epoch, cursor + 1, null, null, null, timezone, origin,
                Optional.empty(), enrolledAt, now, append(done), Set.of(), outbox, Optional.empty(), heldOut);
    }

    /** Nothing is left to send (the definition now ends before {@code cursor}): complete with no new record. */
    public Enrollment finish(Instant now) {
        return new Enrollment(key, EnrollmentStatus.COMPLETED, epoch, cursor, null, null, null, timezone, origin,
                Optional.empty(), enrolledAt, now, history, Set.of(), outbox, Optional.empty(), heldOut);
    }

    /**
     * Engagement with the step being sent now, reported before its record was written (the host may hear from
     * the subscriber before the tick commits): kept here and merged into the record when it is written.
     */
    public Enrollment engagedEarly(Engagement signal, Instant now) {
        if (pendingEngagement.containsAll(signal.withImplied())) {
            return this;
        }
        EnumSet<Engagement> all = EnumSet.noneOf(Engagement.class);
        all.addAll(pendingEngagement);
        all.addAll(signal.withImplied());
        return new Enrollment(key, status, epoch, cursor, nextStepId, nextDueAt, timerToken, timezone, origin,
                leaveReason, enrolledAt, now, history, all, outbox, routePin, heldOut);
    }

    private List<StepRecord> append(StepRecord done) {
        StepRecord record = done;
        for (Engagement signal : pendingEngagement) {
            record = record.engaged(signal);
        }
        List<StepRecord> all = new ArrayList<>(history);
        all.add(record);
        return all;
    }
}
