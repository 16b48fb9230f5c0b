package io.sequencer.engine.tick;

import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.channel.ChannelRoute;
import io.sequencer.domain.channel.DeliveryDeferral;
import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.enrollment.RoutePin;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.enrollment.TickVerdict;
import io.sequencer.domain.limit.CapRule;
import io.sequencer.domain.limit.FrequencyLimits;
import io.sequencer.domain.sequence.Assignment;
import io.sequencer.domain.sequence.Branch;
import io.sequencer.domain.sequence.ConditionFacts;
import io.sequencer.domain.sequence.EventMatch;
import io.sequencer.domain.sequence.NextSendTime;
import io.sequencer.domain.sequence.SendWindow;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceStatus;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.sequence.SplitPath;
import io.sequencer.domain.sequence.StepRules;
import io.sequencer.domain.sequence.Variant;
import io.sequencer.domain.subscriber.Attributes;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.domain.timer.RetryBackoff;
import io.sequencer.domain.timer.Tick;
import io.sequencer.domain.timer.TimerDelay;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.enrollment.EnrollmentStore;
import io.sequencer.engine.enrollment.Enrollments;
import io.sequencer.engine.notification.LifecycleNotices;
import io.sequencer.engine.send.Channel;
import io.sequencer.engine.send.ChannelChoice;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.DeliveryTarget;
import io.sequencer.engine.send.DestinationGuard;
import io.sequencer.engine.send.Personalised;
import io.sequencer.engine.send.SendGate;
import io.sequencer.engine.send.SendResult;
import io.sequencer.engine.subscriber.MarketingTokens;
import io.sequencer.engine.sequence.SequenceStore;
import io.sequencer.engine.subscriber.SubscriberStore;
import io.sequencer.engine.timer.TimerQueue;
import io.sequencer.engine.timer.TimerTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Handles one due tick: is the step still wanted, send it, record it, schedule the next.
 *
 * <p>Write order makes a crash at any point safe. The next tick is enqueued before the enrollment's advance
 * is committed, so a crash in between loses nothing (the queue redelivers this tick; the send repeats with
 * the same delivery id; the orphaned next tick holds a token the enrollment never committed and is dropped).
 * The advance is a conditional write, so of two copies racing only one moves the enrollment on.
 *
 * <p>A delivery id is the tick's own ({@link Tick#deliveryId()}: enrollment, epoch, cursor and the step id the
 * tick was scheduled for), never the id of the step the current definition resolves it to. A redelivered tick
 * therefore sends under the id of its first attempt even when the step was renamed or removed after that send
 * and before its record was committed; the receiver recognises the repeat by that id.
 *
 * <p>A leave (or opt-out, goal, block) that commits between the send and the tick's commit does not erase the
 * send: the commit loses the race, finds the life it belonged to ended by a leave, and adds the step's record to
 * that ended enrollment, counted and notified like any other ({@link #recordAfterLeave}). The ended enrollment's
 * status, epoch and cursor stay; only a later life (a re-enrollment) makes such a record moot, as it replaces the
 * history it would belong to.
 *
 * <p>A tick that finds no enrollment and no profile still expecting one (the subscriber was erased, or opted out
 * before the enroll wrote) is dropped without a write: an erased subscriber's queued ticks leave nothing behind.
 *
 * <p>A step under the account's frequency caps is written to the subscriber's send log (by its delivery id) before
 * it is sent, after every check that could still stop it: a crash after that write sends again under the same id
 * without counting again, and no order of crashes lets a send go uncounted ({@code FrequencyCaps}).
 *
 * <p>A step's A/B variant and a split's path are drawn by {@link Assignment} from the enrollment and the step alone,
 * never stored before the send: every copy and retry of the tick draws the same, and the record names it.
 *
 * <p>It runs past 250 lines because its one job is that order of writes, and the order is only checkable when it
 * is read in one place: the send and its rules live elsewhere ({@code SendGate}, {@code DeferredSteps}), what is
 * left is the sequence of reads, writes and enqueues that the crash tests walk through.
 */
public final class TickHandler {
    private static final int MAX_RACES = 5;

    private final SequenceStore sequences;
    private final EnrollmentStore enrollments;
    private final SubscriberStore subscribers;
    private final Enrollments triggers;
    private final TimerQueue timers;
    private final Channel channel;
    private final TimerTokens tokens;
    private final RetryBackoff backoff;
    private final LifecycleNotices notices;
    private final SendGate gate;
    private final Clock clock;

    public TickHandler(SequenceStore sequences, EnrollmentStore enrollments, SubscriberStore subscribers,
                       Enrollments triggers, TimerQueue timers, Channel channel, TimerTokens tokens,
                       RetryBackoff backoff, LifecycleNotices notices, SendGate gate, Clock clock) {
        this.sequences = sequences;
        this.enrollments = enrollments;
        this.subscribers = subscribers;
        this.triggers = triggers;
        this.timers = timers;
        this.channel = channel;
        this.tokens = tokens;
        this.backoff = backoff;
        this.notices = notices;
        this.gate = gate;
        this.clock = clock;
    }

    public TickOutcome handle(Tick tick) {
        Optional<Stored<Enrollment>> stored = enrollments.find(tick.key());
        TickVerdict verdict = TickVerdict.judge(stored.map(Stored::value).orElse(null), tick);
        if (verdict instanceof TickVerdict.Stale stale) {
            if (completedBy(stored.get().value(), tick)) {
                // A copy of the tick that completed the enrollment, maybe after a crash before its triggers ran.
                sequences.find(tick.key().account(), tick.key().sequenceId()).map(Stored::value)
                        .ifPresent(sequence -> triggers.fireCompletionTriggers(sequence, stored.get().value()));
            }
            return new TickOutcome.Dropped(stale.reason());
        }
        if (verdict instanceof TickVerdict.Ahead ahead) {
            if (stored.isEmpty() && !awaitedBySubscriber(tick)) {
                return new TickOutcome.Dropped("no enrollment, and no subscriber profile waiting for one");
            }
            return waitForCommit(tick, ahead.reason());
        }
        return handleCurrent(tick, stored.orElseThrow());
    }

    /**
     * Whether an enroll may still write the missing enrollment of {@code tick}: it lists the sequence on a profile
     * that has not opted out before it schedules the tick. Without such a profile (erased, or opted out) the tick
     * is dropped at once and writes nothing, not even a wait.
     */
    private boolean awaitedBySubscriber(Tick tick) {
        return subscribers.find(tick.key().account(), tick.key().subscriberId()).map(Stored::value)
                .filter(profile -> !profile.optedOut() && profile.isEnrolledIn(tick.key().sequenceId())).isPresent();
    }

    private static boolean completedBy(Enrollment enrollment, Tick tick) {
        // The last step's tick leaves the cursor one past it; a tick that found the definition ended leaves it put.
        return enrollment.status() == EnrollmentStatus.COMPLETED && enrollment.epoch() == tick.epoch()
                && (enrollment.cursor() == tick.cursor() + 1 || enrollment.cursor() == tick.cursor());
    }

    private TickOutcome waitForCommit(Tick tick, String reason) {
        if (tick.waits() >= RetryBackoff.MAX_WAITS) {
            return new TickOutcome.Dropped("gave up waiting: " + reason);
        }
        Duration after = RetryBackoff.waitForCommit(tick.waits());
        timers.schedule(tick.waitedOnce(), clock.instant().plus(after));
        return new TickOutcome.Wait(reason, after);
    }

    private TickOutcome handleCurrent(Tick tick, Stored<Enrollment> stored) {
        Instant now = clock.instant();
        if (TimerDelay.isEarly(now, tick.dueAt())) {
            timers.schedule(tick, tick.dueAt());
            return new TickOutcome.Hop(tick.stepId(), TimerDelay.until(now, tick.dueAt()));
        }
        Optional<Sequence> found = sequences.find(tick.key().account(), tick.key().sequenceId()).map(Stored::value);
        if (found.isEmpty()) {
            return new TickOutcome.Dropped("sequence no longer exists");
        }
        Sequence sequence = found.get();
        if (sequence.status() == SequenceStatus.ARCHIVED) {
            return end(tick, stored, stored.value().leave(LeaveReason.ARCHIVED, now), "sequence archived; enrollment left");
        }
        if (sequence.status() == SequenceStatus.PAUSED) {
            Duration after = RetryBackoff.waitWhilePaused(tick.holds());
            timers.schedule(tick.heldOnce(), now.plus(after));
            return new TickOutcome.Wait("sequence paused", after);
        }
        Optional<Integer> resolved = stepIndex(sequence, tick);
        if (resolved.isEmpty()) {
            Enrollment finished = stored.value().finish(now);
            TickOutcome outcome = end(tick, stored, finished,
                    "sequence now ends before step " + tick.stepId() + "; enrollment completed");
            triggers.fireCompletionTriggers(sequence, finished);
            return outcome;
        }
        int index = resolved.get();
        Step step = sequence.step(index);
        // The tick's id, not one of the step resolved now: an edit between a send and its commit cannot change it.
        DeliveryId deliveryId = tick.deliveryId();
        if (!step.enabled()) {
            return advance(tick, stored, sequence, sequence.after(index), skipped(step, deliveryId, tick, "disabled"));
        }
        if (stored.value().heldOut()) {
            // The control group walks the steps in order, at their times, and is sent none of them.
            return advance(tick, stored, sequence, sequence.after(index),
                    skipped(step, deliveryId, tick, StepRecord.HELD_OUT));
        }
        StepRules rules = step.rules();
        // Sticky: the same subscriber meets the same variant or path on every copy and retry of this tick.
        Assignment.Unit unit = Assignment.step(tick.key().account(), tick.key().sequenceId(), tick.key().subscriberId(),
                step.id());
        // A channel without a message of its own sends the step's (the subscriber's variant of it).
        List<ChannelRoute.Stop> stops = step.route().stops(sequence.channel(), step.messageFor(unit));
        // The profile is read once: here when the step's conditions or its channels' rules need it, else at the send.
        boolean profileRead = rules.readsAttributes()
                || stops.stream().anyMatch(stop -> gate.channels().needsProfile(stop.channel()));
        Optional<Subscriber> profile = profileRead
                ? subscribers.find(tick.key().account(), tick.key().subscriberId()).map(Stored::value) : Optional.empty();
        if (!rules.branches().isEmpty() || rules.condition().isPresent()) {
            ConditionFacts facts = new ConditionFacts(stored.value().history(),
                    profile.map(Subscriber::attributes).orElse(Attributes.NONE));
            for (Branch branch : rules.branches()) {
                if (branch.when().holds(facts)) {
                    return advance(tick, stored, sequence, sequence.indexOf(branch.goTo()).or(() -> sequence.after(index)),
                            skipped(step, deliveryId, tick, "branched to " + branch.goTo()));
                }
            }
            if (rules.condition().isPresent() && !rules.condition().get().holds(facts)) {
                return rules.endWhenFalse()
                        ? advance(tick, stored, sequence, Optional.empty(),
                                skipped(step, deliveryId, tick, "condition not met; the sequence ends here"))
                        : advance(tick, stored, sequence, sequence.after(index),
                                skipped(step, deliveryId, tick, "condition not met"));
            }
        }
        Optional<SplitPath> path = step.experiment().pathFor(unit);
        if (path.isPresent() && !path.get().goTo().equals(step.id())) {
            return advance(tick, stored, sequence, sequence.indexOf(path.get().goTo()).or(() -> sequence.after(index)),
                    skipped(step, deliveryId, tick, StepRecord.SPLIT_TO + path.get().goTo())
                            .withVariant(Optional.of(path.get().goTo())));
        }
        Optional<String> variant = path.map(SplitPath::goTo)
                .or(() -> step.experiment().variantFor(unit).map(Variant::id));
        ZoneId zone = NextSendTime.zone(stored.value().timezone(), sequence);
        Optional<SendWindow> window = NextSendTime.window(step, sequence);
        if (window.isPresent() && !window.get().contains(now, zone)) {
            // Woke outside the window (held while paused, retried, released by an event, or the window changed):
            // wait for its opening.
            Instant opening = window.get().nextOpening(now, zone);
            timers.schedule(tick.dueAt(opening), opening);
            return new TickOutcome.Hop(step.id(), TimerDelay.until(now, opening));
        }
        // The first of the step's channels that would not skip it; a delivery pinned to one asks that one alone.
        Optional<RoutePin> pin = stored.value().pinOf(deliveryId.value());
        Enrollment enrollment = stored.value();
        ChannelChoice.Choice choice = ChannelChoice.choose(stops, pin,
                stop -> gate.check(stop.channel(), step, enrollment, profile, tick, now));
        ChannelConfig onChannel = choice.stop().channel();
        SendGate.Verdict verdict = choice.verdict();
        if (verdict instanceof SendGate.Verdict.Skip skip) {
            return advance(tick, stored, sequence, sequence.after(index), skipped(step, deliveryId, tick, skip.reason()));
        }
        if (verdict instanceof SendGate.Verdict.Hold hold) {
            timers.schedule(tick.heldOnce(), hold.until());
            return new TickOutcome.Wait(hold.reason(), Duration.between(now, hold.until()));
        }
        DestinationGuard.Admission admission = gate.admit(onChannel);
        if (admission instanceof DestinationGuard.Admission.Defer defer) {
            return deferForDestination(tick, defer.deferral());
        }
        SendResult result;
        SendGate.Verdict.Go go = (SendGate.Verdict.Go) verdict;
        Optional<String> marketingToken = go.marketingToken();
        try (DestinationGuard.Permit permit = ((DestinationGuard.Admission.Go) admission).permit()) {
            // Before the budget, so a step that will not go takes no share of it.
            Optional<Subscriber> current = profileAtSend(tick, profileRead, profile);
            if (current.map(Subscriber::optedOut).orElse(false)) {
                return end(tick, stored, stored.value().leave(LeaveReason.OPTED_OUT, now),
                        "subscriber opted out; enrollment left without sending");
            }
            // Personalised from the profile just read: no request of its own. A template that fails is the step's
            // permanent failure, reached before the budget and the circuit hear of it.
            Personalised message = Personalised.step(choice.stop().message(), stored.value(), step.id(), current, zone,
                    now, gate.channels(), onChannel);
            if (message.failure().isPresent()) {
                return advance(tick, stored, sequence, sequence.after(index),
                        record(step, deliveryId, StepOutcome.FAILED, tick, message.failure().get()).on(onChannel.type())
                                .withVariant(variant));
            }
            // Logged under the delivery id before the send, so neither a crash nor a retry can miscount it.
            CapRule.Verdict capped = gate.caps().admit(tick.key().account(), tick.key().subscriberId(),
                    onChannel.type(), deliveryId.value(), step.messaging().exempt());
            if (capped instanceof CapRule.Verdict.Skip) {
                return advance(tick, stored, sequence, sequence.after(index),
                        skipped(step, deliveryId, tick, FrequencyLimits.SKIP_REASON));
            }
            if (capped instanceof CapRule.Verdict.Hold hold) {
                return holdForCap(tick, window, zone, hold.until(), now);
            }
            Optional<Duration> overBudget = gate.budgetWait(onChannel);
            if (overBudget.isPresent()) {
                timers.schedule(tick, now.plus(overBudget.get()));
                return new TickOutcome.Wait("over the destination's send budget", overBudget.get());
            }
            if (stops.size() > 1 && !pin.map(RoutePin::chosen).orElse(false)) {
                // Before the send: a retry of this delivery, after a failure or a crash, goes on this channel only.
                stored = pin(tick, stored, RoutePin.chosen(deliveryId.value(), choice.stop().index()), now);
            }
            // The channel's rules give a marketing token only to an untagged message, so the tag passes as it is.
            Delivery delivery = new Delivery(deliveryId, new DeliveryTarget.Step(tick.key(), step.id(), variant), message.text(),
                    tick.dueAt(), tick.attempt(), step.messaging().tag(), go.email(), marketingToken);
            result = channel.send(onChannel, delivery);
            permit.record(result);
        }
        gate.guard().deferredSteps().wentAhead(tick.key());
        StepRecord done;
        if (result instanceof SendResult.Sent sent) {
            done = record(step, deliveryId, StepOutcome.SENT, tick, sent.detail()).on(onChannel.type());
        } else if (result instanceof SendResult.PermanentFailure failure) {
            if (failure.tokenRefused() && marketingToken.isPresent()) {
                // Before the record: a retry of this tick then finds the token unusable rather than sending again.
                MarketingTokens.refuse(subscribers, clock, tick.key().account(), tick.key().subscriberId(),
                        marketingToken.get(), failure.reason());
            }
            gate.caps().release(tick.key().account(), tick.key().subscriberId(), deliveryId.value());
            done = record(step, deliveryId, StepOutcome.FAILED, tick, failure.reason()).on(onChannel.type());
        } else if (result instanceof SendResult.RecipientGone gone) {
            if (choice.stop().index() + 1 < stops.size()) {
                return fallAfterGone(tick, stored, sequence, onChannel, choice.stop().index() + 1, gone.reason());
            }
            return leaveBlocked(tick, stored, sequence, onChannel,
                    record(step, deliveryId, StepOutcome.FAILED, tick, StepRecord.UNREACHABLE + gone.reason())
                            .on(onChannel.type()).withVariant(variant));
        } else {
            SendResult.TransientFailure failure = (SendResult.TransientFailure) result;
            if (backoff.mayRetryAfter(tick.attempt())) {
                Duration after = backoff.delayAfter(tick.attempt(), deliveryId, failure.retryAfter());
                timers.schedule(tick.nextAttempt(), clock.instant().plus(after));
                return new TickOutcome.RetryLater(deliveryId, step.id(), tick.attempt(), after, failure.reason());
            }
            done = record(step, deliveryId, StepOutcome.FAILED, tick,
                    StepRecord.GAVE_UP + tick.attempt() + " attempts: " + failure.reason()).on(onChannel.type());
        }
        return advance(tick, stored, sequence, sequence.after(index), done.withVariant(variant));
    }

    /**
     * Puts the same tick back until its destination may take it: not an attempt (the attempt count stays), and
     * never dropped. A wait for an open circuit is listed for the enrollment's detail and the timeline.
     */
    private TickOutcome deferForDestination(Tick tick, DeliveryDeferral deferral) {
        timers.schedule(tick, deferral.until());
        if (deferral.cause() == DeliveryDeferral.Cause.CIRCUIT_OPEN) {
            gate.guard().deferredSteps().deferred(tick.key(), tick.epoch(), tick.stepId(), deferral);
        }
        return new TickOutcome.Wait(deferral.reason(), Duration.between(deferral.at(), deferral.until()));
    }

    /**
     * Puts the tick off until the frequency caps allow it, or the step's send window opens after that: the same tick
     * (not an attempt), due then, so its lateness counts from the moment it was allowed.
     */
    private TickOutcome holdForCap(Tick tick, Optional<SendWindow> window, ZoneId zone, Instant allowed, Instant now) {
        Instant until = window.filter(w -> !w.contains(allowed, zone)).map(w -> w.nextOpening(allowed, zone))
                .orElse(allowed);
        timers.schedule(tick.dueAt(until), until);
        return new TickOutcome.Wait("held by the account's frequency cap", Duration.between(now, until));
    }

    /**
     * The step this tick is for: found by id; if a replaced definition dropped that id, the step now at the
     * enrollment's position (the next remaining one); none when the definition now ends before it.
     */
    private static Optional<Integer> stepIndex(Sequence sequence, Tick tick) {
        Optional<Integer> byId = sequence.indexOf(tick.stepId());
        if (byId.isPresent()) {
            return byId;
        }
        return tick.cursor() < sequence.steps().size() ? Optional.of(tick.cursor()) : Optional.empty();
    }

    /**
     * The profile as it stands at the send, for the last check that the subscriber has not opted out of the account
     * (on every channel, so an opt-out holds even where it has not ended this enrollment yet) and for the message's
     * templates. Reuses the profile this tick read already ({@code read}); else one point read, after every other
     * check, so only an opt-out written while the send is being prepared and made can still miss it.
     */
    private Optional<Subscriber> profileAtSend(Tick tick, boolean read, Optional<Subscriber> profile) {
        return read ? profile : subscribers.find(tick.key().account(), tick.key().subscriberId()).map(Stored::value);
    }

    /** Ends the enrollment without sending (archived sequence, opted-out subscriber, or nothing left to send). */
    private TickOutcome end(Tick tick, Stored<Enrollment> stored, Enrollment ended, String reason) {
        try {
            enrollments.replace(stored, notices.stamp(Optional.of(stored.value()), ended));
            return new TickOutcome.Dropped(reason);
        } catch (StaleWrite lostRace) {
            throw new Conflict("enrollment " + tick.key() + " changed while ending; the tick will be retried");
        }
    }

    private StepRecord record(Step step, DeliveryId deliveryId, StepOutcome outcome, Tick tick, String detail) {
        return new StepRecord(step.id(), deliveryId.value(), outcome, clock.instant(), tick.attempt(), detail);
    }

    private StepRecord skipped(Step step, DeliveryId deliveryId, Tick tick, String reason) {
        return record(step, deliveryId, StepOutcome.SKIPPED, tick, reason);
    }

    /**
     * Records {@code done} and moves the enrollment on to step {@code next}, or completes it when there is none
     * (then starts what completion triggers; a crash before that is healed by the tick's redelivery, see
     * {@link #handle}).
     */
    private TickOutcome advance(Tick tick, Stored<Enrollment> stored, Sequence sequence, Optional<Integer> next,
                                StepRecord done) {
        Instant doneAt = done.at();
        boolean last = next.isEmpty();
        Step nextStep = last ? null : sequence.step(next.get());
        Instant nextDueAt = last ? null : dueAt(nextStep, sequence, stored.value(), done);
        String nextToken = last ? null : tokens.get();
        if (!last) {
            Tick nextTick = new Tick(tick.key(), tick.epoch(), tick.cursor() + 1, nextStep.id(), nextDueAt, nextToken, 1, 0, 0);
            timers.schedule(nextTick, nextDueAt);
        }
        return commit(tick, stored, done, last,
                base -> last ? base.complete(done, doneAt) : base.advance(done, nextStep, nextDueAt, nextToken, doneAt),
                moved -> {
                    if (last) {
                        triggers.fireCompletionTriggers(sequence, moved);
                    }
                });
    }

    /**
     * Writes {@code move} of the enrollment (with its lifecycle events) conditionally, then runs {@code afterCommit}.
     * A lost race is judged again: a duplicate that committed first, or a leave, ends this tick's work.
     */
    private TickOutcome commit(Tick tick, Stored<Enrollment> stored, StepRecord done, boolean ends,
                               UnaryOperator<Enrollment> move, Consumer<Enrollment> afterCommit) {
        Stored<Enrollment> base = stored;
        for (int race = 0; race < MAX_RACES; race++) {
            Enrollment moved = notices.stamp(Optional.of(base.value()), move.apply(base.value()));
            try {
                enrollments.replace(base, moved);
                afterCommit.accept(moved);
                return new TickOutcome.Done(new DeliveryId(done.deliveryId()), done.stepId(), done.outcome(),
                        Duration.between(tick.dueAt(), done.at()), done.detail(), ends);
            } catch (StaleWrite lostRace) {
                Optional<Stored<Enrollment>> again = enrollments.find(tick.key());
                if (again.isPresent() && again.get().value().leftAfterLife(tick.epoch()) && reachedChannel(done)) {
                    return recordAfterLeave(tick, again.get(), done);
                }
                if (again.isEmpty() || !(TickVerdict.judge(again.get().value(), tick) instanceof TickVerdict.Current)) {
                    // A duplicate of this tick committed first, or a new life began: nothing more to do.
                    return new TickOutcome.Dropped("another copy of this tick finished first");
                }
                base = again.get();
            }
        }
        throw new Conflict("enrollment " + tick.key() + " keeps changing; the tick will be retried");
    }

    /** A send was made (or failed at the destination): the receiver may have it, so it must be on record. */
    private static boolean reachedChannel(StepRecord done) {
        return done.outcome() != StepOutcome.SKIPPED;
    }

    /**
     * The send of {@code done} finished after a leave ended its life: add its record to the ended enrollment
     * (counted and notified by the same write), unless a copy of this tick recorded it already. Conditional like
     * every write; a lost race looks again.
     */
    private TickOutcome recordAfterLeave(Tick tick, Stored<Enrollment> ended, StepRecord done) {
        Stored<Enrollment> base = ended;
        for (int race = 0; race < MAX_RACES; race++) {
            Enrollment left = base.value();
            if (!left.leftAfterLife(tick.epoch()) || left.hasRecordOf(done.deliveryId())) {
                return new TickOutcome.Dropped("another copy of this tick finished first");
            }
            try {
                enrollments.replace(base, notices.stamp(Optional.of(left), left.recordedAfterLeaving(done)));
                return new TickOutcome.Done(new DeliveryId(done.deliveryId()), done.stepId(), done.outcome(),
                        Duration.between(tick.dueAt(), done.at()), done.detail(), false);
            } catch (StaleWrite lostRace) {
                Optional<Stored<Enrollment>> again = enrollments.find(tick.key());
                if (again.isEmpty()) {
                    return new TickOutcome.Dropped("enrollment no longer exists");
                }
                base = again.get();
            }
        }
        throw new Conflict("enrollment " + tick.key() + " keeps changing; the tick will be retried");
    }

    /**
     * The destination says the subscriber is gone: this enrollment records the step and leaves (blocked) in one
     * write, then every other sequence sending there lets them go too. A crash in between is healed when one of
     * those sequences next tries to send and hears the same.
     */
    private TickOutcome leaveBlocked(Tick tick, Stored<Enrollment> stored, Sequence sequence, ChannelConfig gone,
                                     StepRecord done) {
        TickOutcome outcome = commit(tick, stored, done, true,
                base -> base.leaveAfter(done, LeaveReason.BLOCKED, done.at()), left -> { });
        if (outcome instanceof TickOutcome.Done) {
            // Also when a leave ended this enrollment first: the destination's answer still holds for the others.
            triggers.leaveDestination(tick.key(), gone);
        }
        return outcome;
    }

    /**
     * Writes {@code pin} for the delivery about to be made, conditionally, and reads the enrollment back for the
     * commit's ETag. A lost race is the tick's retry: nothing was sent yet.
     */
    private Stored<Enrollment> pin(Tick tick, Stored<Enrollment> stored, RoutePin pin, Instant now) {
        try {
            enrollments.replace(stored, stored.value().pinned(pin, now));
        } catch (StaleWrite lostRace) {
            throw new Conflict("enrollment " + tick.key() + " changed before its send; the tick will be retried");
        }
        return enrollments.find(tick.key()).orElse(stored);
    }

    /**
     * The destination says the subscriber is gone from {@code gone}, and the step has channels after it: the
     * delivery is pinned to those (never {@code gone} again), then the same tick comes back at once to choose among
     * them. A crash in between redelivers this tick, which finds the pin. This enrollment does not leave; other
     * sequences sending to {@code gone} with no fallback of their own leave as blocked.
     */
    private TickOutcome fallAfterGone(Tick tick, Stored<Enrollment> stored, Sequence sequence, ChannelConfig gone,
                                      int nextStop, String reason) {
        Instant now = clock.instant();
        // The gone channel's send reached no one: it is not counted against the frequency caps.
        gate.caps().release(tick.key().account(), tick.key().subscriberId(), tick.deliveryId().value());
        pin(tick, stored, RoutePin.from(tick.deliveryId().value(), nextStop), now);
        triggers.leaveDestination(tick.key(), gone);
        timers.schedule(tick, now);
        return new TickOutcome.Wait("recipient gone from the " + gone.type() + " channel (" + reason
                + "); trying the next channel", Duration.ZERO);
    }

    /**
     * When {@code step} falls due after {@code done}: by its delay and window, or at once when it waits for an
     * event on a step that has already happened.
     */
    private static Instant dueAt(Step step, Sequence sequence, Enrollment enrollment, StepRecord done) {
        Instant byDelay = NextSendTime.of(step, sequence, done.at(), enrollment.enrolledAt(), enrollment.timezone());
        Optional<EventMatch> wait = step.rules().waitFor();
        if (wait.isEmpty() || wait.get().stepId().isEmpty() || wait.get().type().engagement().isEmpty()) {
            return byDelay;
        }
        String awaitedStep = wait.get().stepId().get();
        Optional<StepRecord> record = done.stepId().equals(awaitedStep) ? Optional.of(done)
                : enrollment.lastRecordOf(awaitedStep);
        boolean happened = record.filter(r -> r.has(wait.get().type().engagement().get())).isPresent();
        return happened && done.at().isBefore(byDelay) ? done.at() : byDelay;
    }
}
