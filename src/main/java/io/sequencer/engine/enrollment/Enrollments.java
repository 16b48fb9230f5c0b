package io.sequencer.engine.enrollment;

import io.sequencer.domain.Invalid;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.enrollment.StartEvent;
import io.sequencer.domain.sequence.Assignment;
import io.sequencer.domain.sequence.NextSendTime;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceStatus;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.sequence.Trigger;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.channel.Channels;
import io.sequencer.engine.notification.LifecycleNotices;
import io.sequencer.engine.sequence.SequenceStore;
import io.sequencer.engine.subscriber.ProfileWrite;
import io.sequencer.engine.subscriber.SubscriberStore;
import io.sequencer.engine.timer.TimerQueue;
import io.sequencer.engine.timer.TimerTokens;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Use cases on enrollments: enroll (by the host or by a trigger), leave, move to a step, read.
 *
 * <p>Enrolling schedules the first tick <em>before</em> writing the enrollment: if the process dies between the
 * two, the tick finds no matching enrollment, waits a little, and is dropped; the caller's retry enrolls
 * again. The opposite order could leave an active enrollment with no timer, stuck for ever.
 *
 * <p>Against a global opt-out, an enroll lists the sequence on the subscriber's profile before it writes the
 * enrollment, and a repeat reads the enrollment, <em>then</em> the subscriber, then writes the enrollment
 * conditionally; the opt-out writes the subscriber, then rewrites (or creates as left) every enrollment it
 * lists. Whatever the interleaving, either the enroll sees the opt-out or the opt-out's rewrite sees (or
 * breaks) the enroll.
 *
 * <p>A subscriber's first enrollment in a sequence is inserted without reading first: sequence read, profile
 * insert, tick put and enrollment insert, four requests.
 *
 * <p>It runs past 250 lines because enroll, leave, the opt-out's end and the triggers that start enrollments all
 * go through the same conditional read-modify-write of one enrollment and its profile listing; apart, each would
 * need its own copy of that race loop and of the order argued above.
 */
public final class Enrollments {
    private static final int MAX_RACES = 5;

    private final SequenceStore sequences;
    private final EnrollmentStore store;
    private final SubscriberStore subscribers;
    private final TimerQueue timers;
    private final TimerTokens tokens;
    private final LifecycleNotices notices;
    private final Channels channels;
    private final Clock clock;

    public Enrollments(SequenceStore sequences, EnrollmentStore store, SubscriberStore subscribers, TimerQueue timers,
                       TimerTokens tokens, LifecycleNotices notices, Channels channels, Clock clock) {
        this.channels = channels;
        this.sequences = sequences;
        this.store = store;
        this.subscribers = subscribers;
        this.timers = timers;
        this.tokens = tokens;
        this.notices = notices;
        this.clock = clock;
    }

    /** Starts the sequence for the subscriber, on the sequence's clock (or UTC). */
    public EnrollResult enroll(EnrollmentKey key) {
        return enroll(EnrollRequest.byHost(key, Optional.empty()));
    }

    /** Starts the sequence for the subscriber, on their clock when {@code timezone} is given. */
    public EnrollResult enroll(EnrollmentKey key, Optional<ZoneId> timezone) {
        return enroll(EnrollRequest.byHost(key, timezone));
    }

    /**
     * Starts the sequence for the subscriber as the sequence's re-entry policy allows: a repeat while active
     * returns the enrollment unchanged (or, under {@code always}, starts over); a refused re-entry is a
     * {@link Conflict}.
     */
    public EnrollResult enroll(EnrollRequest request) {
        EnrollmentKey key = request.key();
        Sequence sequence = sequences.find(key.account(), key.sequenceId()).map(Stored::value)
                .orElseThrow(() -> new NotFound("sequence " + key.sequenceId()));
        if (sequence.status() == SequenceStatus.ARCHIVED) {
            throw new Conflict("sequence " + key.sequenceId() + " is archived; nobody can be enrolled");
        }
        Remembered first = rememberEnrollment(request, true);
        if (!first.wasMember()) {
            // Never enrolled here (the profile lists a sequence before its enrollment is written): insert at once.
            Optional<EnrollResult> inserted = start(sequence, request, first.profile(), Optional.empty());
            if (inserted.isPresent()) {
                return inserted.get();
            }
        }
        for (int race = 0; race < MAX_RACES; race++) {
            Optional<Stored<Enrollment>> current = store.find(key);
            Subscriber profile = rememberEnrollment(request, false).profile();
            if (current.isPresent()) {
                Enrollment existing = current.get().value();
                if (request.origin().sameCauseAs(existing.origin())
                        || existing.isActive() && sequence.rules().reentry() != ReentryPolicy.ALWAYS) {
                    return new EnrollResult(existing, false);
                }
                if (!existing.isActive() && sequence.rules().reentry() == ReentryPolicy.NEVER
                        && existing.leaveReason().filter(r -> r == LeaveReason.OPTED_OUT).isEmpty()) {
                    throw new Conflict("subscriber " + key.subscriberId() + " was already enrolled in sequence "
                            + key.sequenceId() + ", whose re-entry policy is never");
                }
            }
            Optional<EnrollResult> started = start(sequence, request, profile, current);
            if (started.isPresent()) {
                return started.get();
            }
        }
        throw new Conflict("subscriber " + key.subscriberId() + " is being enrolled concurrently; try again");
    }

    /**
     * Starts a new epoch over {@code current} (none: a first enrollment), its first tick scheduled before the
     * conditional write; empty when a concurrent enroll, leave or opt-out wrote first (the tick then carries a
     * token nobody holds and is dropped).
     */
    private Optional<EnrollResult> start(Sequence sequence, EnrollRequest request, Subscriber profile,
                                         Optional<Stored<Enrollment>> current) {
        long epoch = current.map(c -> c.value().epoch() + 1).orElse(1L);
        Enrollment started = firstStep(sequence, request, profile, epoch, clock.instant(), tokens.get());
        timers.schedule(Tick.forNextStep(started), started.nextDueAt());
        Enrollment stamped = notices.stamp(current.map(Stored::value), started);
        try {
            if (current.isEmpty()) {
                store.create(stamped);
            } else {
                store.replace(current.get(), stamped);
            }
            return Optional.of(new EnrollResult(stamped, true));
        } catch (AlreadyExists | StaleWrite lostRace) {
            return Optional.empty();
        }
    }

    /**
     * {@code request}'s enrollment in {@code epoch} of {@code sequence}, waiting for its first step: on the request's
     * clock, else the profile's; in the holdout when the sequence draws it there.
     */
    static Enrollment firstStep(Sequence sequence, EnrollRequest request, Subscriber profile, long epoch, Instant now,
                                String token) {
        Optional<ZoneId> timezone = request.timezone().or(profile::timezone);
        Step first = sequence.step(0);
        Instant dueAt = NextSendTime.of(first, sequence, now, now, timezone);
        boolean heldOut = Assignment.heldOut(request.key().account(), request.key().sequenceId(),
                request.key().subscriberId(), sequence.rules().holdout());
        return Enrollment.start(request.key(), epoch, first, dueAt, now, token, timezone, request.origin(), heldOut);
    }

    /** The profile an enroll creates for a subscriber never seen: the request's changes, listing the sequence. */
    static Subscriber newProfile(EnrollRequest request, Instant now) {
        return updatedProfile(Subscriber.create(request.key().account(), request.key().subscriberId(), now), request, now);
    }

    /** The subscriber's profile after an enroll touched it, and whether it listed the sequence before. */
    private record Remembered(Subscriber profile, boolean wasMember) {}

    /**
     * Records the sequence (and any profile changes) on the subscriber, creating the profile if need be, and
     * refuses an opted-out subscriber. Writes only when something changed. {@code createFirst} tries the insert
     * before any read: one request for a subscriber never seen, the common case of a drip campaign.
     */
    private Remembered rememberEnrollment(EnrollRequest request, boolean createFirst) {
        EnrollmentKey key = request.key();
        if (createFirst) {
            Subscriber created = newProfile(request, clock.instant());
            try {
                subscribers.create(created);
                return new Remembered(created, false);
            } catch (AlreadyExists known) {
                // Seen before: read it as usual.
            }
        }
        ProfileWrite.Result written = ProfileWrite.apply(subscribers, clock, key.account(), key.subscriberId(), false,
                (stored, base, now) -> {
                    if (base.optedOut()) {
                        throw new Conflict("subscriber " + key.subscriberId() + " opted out; a re-subscription made after the opt-out lets them be enrolled again");
                    }
                    return updatedProfile(base, request, now);
                });
        return new Remembered(written.after(), written.before().map(p -> p.isEnrolledIn(key.sequenceId())).orElse(false));
    }

    private static Subscriber updatedProfile(Subscriber base, EnrollRequest request, Instant now) {
        try {
            return base.updated(request.attributes(), Optional.empty(), now).enrolledIn(request.key().sequenceId(), now);
        } catch (IllegalArgumentException tooManyAttributes) {
            throw new Invalid("attributes", tooManyAttributes.getMessage());
        } catch (IllegalStateException tooManySequences) {
            throw new Conflict(tooManySequences.getMessage());
        }
    }

    /** Takes the subscriber out of the sequence; pending ticks become stale. Leaving twice is harmless. */
    public Enrollment leave(EnrollmentKey key) {
        return leave(key, LeaveReason.UNSUBSCRIBED);
    }

    /**
     * Takes the subscriber out for {@code reason}, then starts whatever the sequence triggers on leaving. A repeat
     * for the same reason starts them again, which changes nothing once they exist (they carry this leave as
     * their cause), so a crash between the two steps is healed by the caller's retry.
     */
    public Enrollment leave(EnrollmentKey key, LeaveReason reason) {
        for (int race = 0; race < MAX_RACES; race++) {
            Stored<Enrollment> current = store.find(key)
                    .orElseThrow(() -> new NotFound("enrollment of " + key.subscriberId()));
            if (!current.value().isActive()) {
                if (current.value().leaveReason().equals(Optional.of(reason))) {
                    fireLeaveTriggers(current.value());
                }
                return current.value();
            }
            Enrollment left = notices.stamp(Optional.of(current.value()), current.value().leave(reason, clock.instant()));
            try {
                store.replace(current, left);
                fireLeaveTriggers(left);
                return left;
            } catch (StaleWrite lostRace) {
                // A tick advanced it meanwhile: leave from the new state.
            }
        }
        throw new Conflict("subscriber " + key.subscriberId() + " is changing concurrently; try again");
    }

    /**
     * Moves an active enrollment to wait for step {@code stepId}, due after that step's delay from now (in its
     * send window); the tick of the step it waited for becomes stale. The new tick is scheduled before the
     * conditional write, as for an enroll. A repeat (it already waits for that step) changes nothing.
     *
     * @throws Invalid when the sequence has no such step
     * @throws NotFound when there is no such sequence or enrollment
     * @throws Conflict when the enrollment has ended or the sequence is archived
     */
    public Enrollment move(EnrollmentKey key, String stepId) {
        Sequence sequence = sequences.find(key.account(), key.sequenceId()).map(Stored::value)
                .orElseThrow(() -> new NotFound("sequence " + key.sequenceId()));
        Step target = sequence.indexOf(stepId).map(sequence::step)
                .orElseThrow(() -> new Invalid("stepId", "sequence " + key.sequenceId() + " has no step " + stepId));
        if (sequence.status() == SequenceStatus.ARCHIVED) {
            throw new Conflict("sequence " + key.sequenceId() + " is archived; nobody can be moved");
        }
        for (int race = 0; race < MAX_RACES; race++) {
            Stored<Enrollment> current = store.find(key)
                    .orElseThrow(() -> new NotFound("enrollment of " + key.subscriberId()));
            Enrollment before = current.value();
            if (!before.isActive()) {
                throw new Conflict("subscriber " + key.subscriberId() + " is " + before.status().wireName()
                        + " in sequence " + key.sequenceId() + "; only an active enrollment moves");
            }
            if (before.nextStepId().equals(stepId)) {
                return before;
            }
            Instant now = clock.instant();
            Instant dueAt = NextSendTime.of(target, sequence, now, before.enrolledAt(), before.timezone());
            Enrollment moved = before.movedTo(target, dueAt, tokens.get(), now);
            timers.schedule(Tick.forNextStep(moved), dueAt);
            try {
                Enrollment stamped = notices.stamp(Optional.of(before), moved);
                store.replace(current, stamped);
                return stamped;
            } catch (StaleWrite lostRace) {
                // A tick or an event wrote meanwhile: move from the new state (the tick scheduled is superseded).
            }
        }
        throw new Conflict("subscriber " + key.subscriberId() + " is changing concurrently; try again");
    }

    /**
     * The subscriber of {@code key} cannot be reached on {@code channel}'s destination any more: they leave every
     * sequence of the account that sends there (reason blocked), this one included, unless the sequence has a step
     * with fallback channels (its own sends then fall back when they hear the same). Repeating it is harmless.
     */
    public void leaveDestination(EnrollmentKey key, ChannelConfig channel) {
        List<String> sequenceIds = subscribers.find(key.account(), key.subscriberId())
                .map(s -> s.value().sequences()).orElse(List.of(key.sequenceId()));
        for (String sequenceId : sequenceIds) {
            boolean same = sequences.find(key.account(), sequenceId).map(Stored::value)
                    .filter(s -> s.steps().stream().noneMatch(step -> step.route().hasFallback()))
                    .map(s -> channels.sameRecipient(channel, s.channel()) || s.steps().stream()
                            .flatMap(step -> step.route().named().stream())
                            .anyMatch(own -> channels.sameRecipient(channel, own)))
                    .orElse(false);
            if (same) {
                try {
                    leave(new EnrollmentKey(key.account(), sequenceId, key.subscriberId()), LeaveReason.BLOCKED);
                } catch (NotFound never) {
                    // Listed on the profile but never written (an enroll that died): nothing to end.
                }
            }
        }
    }

    /** Starts the sequences that {@code left}'s sequence names for its leave reason; returns how many. */
    public int fireLeaveTriggers(Enrollment left) {
        LeaveReason reason = left.leaveReason().orElseThrow();
        return sequences.find(left.key().account(), left.key().sequenceId()).map(Stored::value)
                .map(sequence -> fireTriggers(sequence, left,
                        t -> t instanceof Trigger.OnLeft onLeft && onLeft.firesFor(reason), "left:" + reason.wireName()))
                .orElse(0);
    }

    /** Starts the sequences that {@code completed}'s sequence names for completion. */
    public void fireCompletionTriggers(Sequence sequence, Enrollment completed) {
        fireTriggers(sequence, completed, t -> t instanceof Trigger.OnCompleted, "completed");
    }

    /**
     * Ends {@code key} because its subscriber opted out of the account: an active enrollment leaves, an ended
     * one is rewritten unchanged, and a missing one is written as a left tombstone, so an enroll racing the
     * opt-out always has to look again. Never triggers other sequences.
     */
    public void endForOptOut(EnrollmentKey key) {
        for (int race = 0; race < MAX_RACES; race++) {
            Instant now = clock.instant();
            Optional<Stored<Enrollment>> current = store.find(key);
            try {
                if (current.isEmpty()) {
                    store.create(Enrollment.tombstone(key, LeaveReason.OPTED_OUT, now));
                } else if (current.get().value().isActive()) {
                    Enrollment before = current.get().value();
                    store.replace(current.get(),
                            notices.stamp(Optional.of(before), before.leave(LeaveReason.OPTED_OUT, now)));
                } else {
                    store.replace(current.get(), current.get().value().touched(now));
                }
                return;
            } catch (AlreadyExists | StaleWrite lostRace) {
                // An enroll or tick wrote meanwhile: end it from the new state.
            }
        }
        throw new Conflict("subscriber " + key.subscriberId() + " is changing concurrently; try again");
    }

    /**
     * Enrolls the subscriber of {@code source} into every sequence that {@code which} of {@code sequence}'s
     * triggers name. The cause (this enrollment's life and {@code event}) makes a repeat a no-op; a chain
     * longer than {@link Origin#MAX_DEPTH} stops; a refused or missing target is passed over, so one bad
     * trigger never blocks the others or the step that fired it. Returns how many enrollments it started.
     */
    public int fireTriggers(Sequence sequence, Enrollment source, Predicate<Trigger> which, String event) {
        return fireTriggers(sequence, source, which, event, Optional.empty());
    }

    /** As {@link #fireTriggers(Sequence, Enrollment, Predicate, String)}, for triggers that {@code startedBy} fired. */
    public int fireTriggers(Sequence sequence, Enrollment source, Predicate<Trigger> which, String event,
                            Optional<StartEvent> startedBy) {
        if (source.origin().depth() >= Origin.MAX_DEPTH) {
            return 0;
        }
        int started = 0;
        String cause = sequence.id() + "#" + source.epoch() + ":" + event;
        for (Trigger trigger : sequence.rules().then()) {
            if (!which.test(trigger)) {
                continue;
            }
            EnrollmentKey target = new EnrollmentKey(source.key().account(), trigger.enroll(), source.key().subscriberId());
            try {
                if (enroll(new EnrollRequest(target, source.timezone(), Map.of(), source.origin().next(cause, startedBy))).created()) {
                    started++;
                }
            } catch (Conflict | NotFound refused) {
                // Re-entry refused, opted out, archived or missing target: the trigger has nothing to do.
            }
        }
        return started;
    }

    /**
     * The enrollment as it stands. An active enrollment of an archived sequence is shown as left (archived)
     * even before its next tick has recorded that.
     */
    public Enrollment get(EnrollmentKey key) {
        Enrollment enrollment = store.find(key).map(Stored::value)
                .orElseThrow(() -> new NotFound("enrollment of " + key.subscriberId()));
        if (enrollment.isActive() && sequences.find(key.account(), key.sequenceId())
                .map(s -> s.value().status() == SequenceStatus.ARCHIVED).orElse(false)) {
            return enrollment.leave(LeaveReason.ARCHIVED, enrollment.updatedAt());
        }
        return enrollment;
    }
}
