package io.sequencer.engine.event;

import io.sequencer.domain.Ids;
import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.StartEvent;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.sequence.EventMatch;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.sequence.Trigger;
import io.sequencer.domain.subscriber.Conversation;
import io.sequencer.domain.subscriber.Engagement;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.subscriber.Resubscription;
import io.sequencer.domain.subscriber.SubscriberEvent;
import io.sequencer.domain.subscriber.TimelineEntry;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.enrollment.EnrollmentStore;
import io.sequencer.engine.enrollment.Enrollments;
import io.sequencer.engine.notification.LifecycleNotices;
import io.sequencer.engine.sequence.SequenceStore;
import io.sequencer.engine.subscriber.ProfileWrite;
import io.sequencer.engine.subscriber.SubscriberStore;
import io.sequencer.engine.subscriber.Subscribers;
import io.sequencer.engine.timer.TimerQueue;
import io.sequencer.engine.timer.TimerTokens;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Records subscriber events and acts on them, for that subscriber only: engagement on sent steps (which step
 * conditions read later), exit goals, waits that end early, and triggers into other sequences.
 *
 * <p>Every effect is idempotent, so a duplicated or reordered report changes nothing twice: engagement is a
 * set that only grows, leaving twice is leaving once, a released wait is not released again, and a triggered
 * enrollment carries the event's identity as its cause. A released wait enqueues its new tick before the
 * enrollment names it, as everywhere else.
 *
 * <p>Each event is also appended to the subscriber's {@link EventLog}, after its effects, for their timeline: an
 * event whose effects failed is not logged, and the host's resend logs it then.
 *
 * <p>It runs past 250 lines because each kind of effect is a short rule over the same enrollment write, and the
 * idempotence argued above holds only because they share it.
 */
public final class Events {
    private static final int MAX_RACES = 5;

    private final SequenceStore sequences;
    private final EnrollmentStore store;
    private final SubscriberStore subscribers;
    private final Enrollments enrollments;
    private final Subscribers profiles;
    private final TimerQueue timers;
    private final TimerTokens tokens;
    private final LifecycleNotices notices;
    private final EventLog log;
    private final Clock clock;

    public Events(SequenceStore sequences, EnrollmentStore store, SubscriberStore subscribers, Enrollments enrollments,
                  Subscribers profiles, TimerQueue timers, TimerTokens tokens, LifecycleNotices notices, EventLog log,
                  Clock clock) {
        this.sequences = sequences;
        this.store = store;
        this.subscribers = subscribers;
        this.enrollments = enrollments;
        this.profiles = profiles;
        this.timers = timers;
        this.tokens = tokens;
        this.notices = notices;
        this.log = log;
        this.clock = clock;
    }

    /** What became of one event of {@link #recordAll}: its result, or the error that stopped it (resend it). */
    public sealed interface Recorded {
        record Done(EventResult result) implements Recorded {}

        record Failed(RuntimeException error) implements Recorded {}
    }

    /**
     * Applies one event of {@code account}'s subscriber, to the named sequence or to every one they are in, and
     * logs it; throws what stopped it (e.g. {@link Conflict} when an enrollment kept changing).
     */
    public EventResult record(String account, SubscriberEvent event) {
        Recorded only = recordAll(account, List.of(event)).get(0);
        if (only instanceof Recorded.Failed failed) {
            throw failed.error();
        }
        return ((Recorded.Done) only).result();
    }

    /**
     * Applies {@code events} in order, each as {@link #record} does, then logs the applied ones with one append
     * per subscriber rather than a write per event. An event that fails is left out of the log; when an append
     * fails, every event it carried is reported failed, so the host resends them (applying one again changes
     * nothing). An event without its own {@code at} is logged at the time the report arrived, one time for all
     * of them, so an event repeated within one report is one entry.
     */
    public List<Recorded> recordAll(String account, List<SubscriberEvent> events) {
        Ids.require("account", account);
        List<Recorded> results = new ArrayList<>(events.size());
        Map<String, List<Integer>> appliedBySubscriber = new LinkedHashMap<>();
        List<TimelineEntry.Reported> entries = new ArrayList<>(events.size());
        Instant arrived = clock.instant();
        for (int i = 0; i < events.size(); i++) {
            SubscriberEvent event = events.get(i);
            entries.add(new TimelineEntry.Reported(event.at().orElse(arrived), event));
            try {
                results.add(new Recorded.Done(act(account, event)));
                appliedBySubscriber.computeIfAbsent(event.subscriberId(), s -> new ArrayList<>()).add(i);
            } catch (RuntimeException e) {
                results.add(new Recorded.Failed(e));
            }
        }
        appliedBySubscriber.forEach((subscriberId, indexes) -> {
            try {
                log.append(account, subscriberId, indexes.stream().map(entries::get).toList());
            } catch (RuntimeException e) {
                indexes.forEach(i -> results.set(i, new Recorded.Failed(e)));
            }
        });
        return results;
    }

    private EventResult act(String account, SubscriberEvent event) {
        if (event.type() == EventType.SUBSCRIBED || event.type() == EventType.RESUBSCRIBED) {
            // Only a resubscribed event lifts an opt-out, and only one made after it: a late one changes nothing.
            Optional<Resubscription> asked = event.type() == EventType.RESUBSCRIBED
                    ? Optional.of(new Resubscription(event.at().orElseThrow(), "at")) : Optional.empty();
            Subscribers.Added added = profiles.apply(account, event.subscriberId(), Map.of(), Optional.empty(), asked);
            return new EventResult(added.created() || !added.welcomed().isEmpty()
                    || added.optOut() == Subscribers.OptOut.LIFTED, added.welcomed().size());
        }
        boolean conversationChanged = updateConversation(account, event);
        if (event.type() == EventType.AGENT_ACTIVE || event.type() == EventType.AGENT_ENDED
                || event.type() == EventType.OPTIN) {
            return new EventResult(conversationChanged, 0);
        }
        List<String> targets = event.sequenceId().map(List::of).orElseGet(() -> subscribers
                .find(account, event.subscriberId()).map(s -> s.value().sequences()).orElse(List.of()));
        int changed = 0;
        for (String sequenceId : targets) {
            Optional<Sequence> sequence = sequences.find(account, sequenceId).map(Stored::value);
            if (sequence.isPresent() && apply(new EnrollmentKey(account, sequenceId, event.subscriberId()), sequence.get(), event)) {
                changed++;
            }
        }
        // An interaction without other effects counts by its conversation change; for clicks and replies the
        // enrollments decide, so a repeated report (its time now a little later) is still unchanged.
        boolean conversationOnly = event.type() == EventType.INTERACTED && conversationChanged;
        return new EventResult(changed > 0 || conversationOnly, changed);
    }

    /**
     * Moves the subscriber's conversation forward: an interaction reopens Messenger's 24-hour window, a human
     * agent's start and end hold and release Messenger steps, an opt-in keeps (or stops, or resumes) the token
     * Marketing Messages go to. Times only move forward, so a late or repeated report changes nothing; a time in
     * the future counts as now. Creates the profile of a subscriber not seen yet.
     */
    private boolean updateConversation(String account, SubscriberEvent event) {
        EventType type = event.type();
        if (!type.opensMessagingWindow() && type != EventType.AGENT_ACTIVE && type != EventType.AGENT_ENDED
                && type != EventType.OPTIN) {
            return false;
        }
        return ProfileWrite.apply(subscribers, clock, account, event.subscriberId(), false, (stored, base, now) -> {
            Instant at = event.at().filter(t -> t.isBefore(now)).orElse(now);
            Conversation was = base.conversation();
            if (type == EventType.OPTIN) {
                return base.withConversation(was.optedIn(event.optin().orElseThrow(), at), now);
            }
            return base.withConversation(type == EventType.AGENT_ACTIVE ? was.agentActive(at)
                    : type == EventType.AGENT_ENDED ? was.agentEnded(at) : was.interacted(at), now);
        }).written();
    }

    private boolean apply(EnrollmentKey key, Sequence sequence, SubscriberEvent event) {
        for (int race = 0; race < MAX_RACES; race++) {
            Optional<Stored<Enrollment>> stored = store.find(key);
            if (stored.isEmpty()) {
                return false;
            }
            Enrollment before = stored.get().value();
            Instant now = clock.instant();
            Optional<StepRecord> about = stepRecord(before, event);
            boolean inFlight = about.isEmpty() && isInFlight(before, event, now);
            if (event.deliveryId().isPresent() && about.isEmpty() && !inFlight) {
                return false; // a delivery of another sequence or an earlier life of this enrollment
            }
            if (about.isEmpty() && !inFlight && event.at().filter(at -> at.isBefore(before.enrolledAt())).isPresent()) {
                return false; // happened before this enrollment began
            }
            Optional<String> eventStep = about.map(StepRecord::stepId)
                    .or(() -> inFlight ? Optional.of(before.nextStepId()) : event.stepId());
            boolean goal = goalReached(sequence, event, eventStep);
            if (goal && before.leaveReason().equals(Optional.of(LeaveReason.GOAL))) {
                // Left for a goal already (perhaps by this very event): make sure what that triggers exists.
                return enrollments.fireLeaveTriggers(before) > 0;
            }
            Enrollment after = inFlight ? before.engagedEarly(event.type().engagement().orElseThrow(), now)
                    : engaged(before, event, about, now);
            if (before.isActive() && goal) {
                after = after.leave(LeaveReason.GOAL, now);
            } else if (before.isActive() && awaited(sequence, before, event, eventStep) && before.nextDueAt().isAfter(now)) {
                String token = tokens.get();
                timers.schedule(new Tick(key, before.epoch(), before.cursor(), before.nextStepId(), now, token, 1, 0, 0), now);
                after = after.released(now, token, now);
            }
            boolean triggered = before.leaveReason().isEmpty() && fireEventTriggers(sequence, before, event, eventStep);
            if (after == before) {
                return triggered;
            }
            after = notices.stamp(Optional.of(before), after);
            try {
                store.replace(stored.get(), after);
                if (after.leaveReason().isPresent() && before.isActive()) {
                    enrollments.fireLeaveTriggers(after);
                }
                return true;
            } catch (StaleWrite lostRace) {
                // A tick or another event moved it: apply again to the new state.
            }
        }
        throw new Conflict("enrollment " + key + " keeps changing; report the event again");
    }

    /**
     * True when the event is about the step being sent right now, whose record the tick has not written yet: the
     * host may hear from the subscriber before the tick commits. Its engagement is kept until the record exists.
     */
    private static boolean isInFlight(Enrollment enrollment, SubscriberEvent event, Instant now) {
        if (!enrollment.isActive() || event.type().engagement().isEmpty() || enrollment.nextDueAt().isAfter(now)) {
            return false;
        }
        if (event.deliveryId().isPresent()) {
            return DeliveryId.of(enrollment.key(), enrollment.epoch(), enrollment.cursor(), enrollment.nextStepId())
                    .value().equals(event.deliveryId().get());
        }
        return event.stepId().filter(enrollment.nextStepId()::equals).isPresent();
    }

    /** The sent step the event is about: by delivery id, else the last record of the named step. */
    private static Optional<StepRecord> stepRecord(Enrollment enrollment, SubscriberEvent event) {
        if (event.deliveryId().isPresent()) {
            return enrollment.history().stream().filter(r -> r.deliveryId().equals(event.deliveryId().get())).findFirst();
        }
        return event.stepId().flatMap(enrollment::lastRecordOf);
    }

    private static Enrollment engaged(Enrollment enrollment, SubscriberEvent event, Optional<StepRecord> about,
                                      Instant now) {
        Optional<Engagement> signal = event.type().engagement();
        if (signal.isEmpty()) {
            return enrollment;
        }
        if (event.watermark().isPresent()) {
            Instant mark = event.watermark().get();
            return enrollment.engaged(r -> r.outcome() == StepOutcome.SENT && !r.at().isAfter(mark), signal.get(), now);
        }
        return about.map(record -> enrollment.engaged(r -> r.deliveryId().equals(record.deliveryId()), signal.get(), now))
                .orElse(enrollment);
    }

    private static boolean goalReached(Sequence sequence, SubscriberEvent event, Optional<String> eventStep) {
        return sequence.rules().exitWhen().stream().anyMatch(goal -> matches(goal, event, eventStep));
    }

    /** True when the enrollment's next step waits for this event. */
    private static boolean awaited(Sequence sequence, Enrollment enrollment, SubscriberEvent event,
                                   Optional<String> eventStep) {
        return sequence.indexOf(enrollment.nextStepId()).map(sequence::step).map(Step::rules)
                .flatMap(rules -> rules.waitFor()).filter(wait -> matches(wait, event, eventStep)).isPresent();
    }

    private boolean fireEventTriggers(Sequence sequence, Enrollment enrollment, SubscriberEvent event,
                                      Optional<String> eventStep) {
        return enrollments.fireTriggers(sequence, enrollment, t -> isFiredBy(t, event, eventStep),
                "event:" + event.identity(), Optional.of(StartEvent.of(event))) > 0;
    }

    private static boolean isFiredBy(Trigger trigger, SubscriberEvent event, Optional<String> eventStep) {
        return trigger instanceof Trigger.OnEvent onEvent && matches(onEvent.event(), event, eventStep);
    }

    private static boolean matches(EventMatch pattern, SubscriberEvent event, Optional<String> eventStep) {
        return pattern.matches(event.type(), eventStep, event.name());
    }
}
