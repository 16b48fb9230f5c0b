package io.sequencer.engine.enrollment;

import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceStatus;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.domain.timer.Tick;
import io.sequencer.domain.timer.TickGroup;
import io.sequencer.domain.timer.Timer;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.Stored;
import io.sequencer.engine.notification.LifecycleNotices;
import io.sequencer.engine.sequence.SequenceStore;
import io.sequencer.engine.subscriber.SubscriberStore;
import io.sequencer.engine.timer.TimerQueue;
import io.sequencer.engine.timer.TimerTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Enrolls subscribers never seen before into one sequence at the speed of table batches: their profiles in one
 * batch, their first ticks grouped by the second they fall due ({@link TickGroup}: one queue message per group;
 * those due within {@link #GROUPED_FROM} are put one by one),
 * their enrollments and counts in one batch. Three requests for up to {@link EnrollmentStore#MAX_CREATE_ALL}
 * subscribers, where {@link Enrollments#enroll} makes three or four for each.
 *
 * <p>The writes keep the order of a single enroll, so every guarantee argued there holds for each member: the
 * profiles list the sequence before anything else is written (an opt-out racing the batch finds it), the ticks are
 * scheduled before the enrollments that hold their tokens (a tick is never missing; a tick whose enrollment never
 * came is dropped), and the enrollments are written last, all or none. A batch that cannot go as a whole (a profile
 * or an enrollment already there, a profile change refused) answers empty, and {@link Enrollments#enroll} takes each
 * of its subscribers from wherever the batch stopped, as it takes a retried single enroll.
 */
public final class BatchEnrollments {
    /**
     * First ticks due sooner than this after the enroll are put one by one: a group's fan-out puts each tick again,
     * rounded to whole seconds from that moment, which can make a step up to a second later than a tick put alone.
     * A welcome step due at once keeps its lateness; a step due later (the common drip) saves a put per subscriber.
     */
    static final Duration GROUPED_FROM = Duration.ofMinutes(1);

    private final SequenceStore sequences;
    private final EnrollmentStore store;
    private final SubscriberStore subscribers;
    private final TimerQueue timers;
    private final TimerTokens tokens;
    private final LifecycleNotices notices;
    private final Clock clock;

    public BatchEnrollments(SequenceStore sequences, EnrollmentStore store, SubscriberStore subscribers,
                            TimerQueue timers, TimerTokens tokens, LifecycleNotices notices, Clock clock) {
        this.sequences = sequences;
        this.store = store;
        this.subscribers = subscribers;
        this.timers = timers;
        this.tokens = tokens;
        this.notices = notices;
        this.clock = clock;
    }

    /**
     * Enrolls all of {@code requests} (one sequence, distinct subscribers, at most
     * {@link EnrollmentStore#MAX_CREATE_ALL}) when none of them has a profile yet.
     * @return their results in request order, each {@code created}; empty when the batch could not go as a whole,
     *         whatever it wrote before it stopped left for {@link Enrollments#enroll} to finish subscriber by subscriber
     */
    public Optional<List<EnrollResult>> enrollNew(List<EnrollRequest> requests) {
        if (!oneSequence(requests) || requests.size() > EnrollmentStore.MAX_CREATE_ALL) {
            return Optional.empty();
        }
        EnrollmentKey sample = requests.get(0).key();
        Optional<Sequence> sequence = sequences.find(sample.account(), sample.sequenceId()).map(Stored::value)
                .filter(s -> s.status() != SequenceStatus.ARCHIVED);
        if (sequence.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        List<Subscriber> profiles = new ArrayList<>(requests.size());
        for (EnrollRequest request : requests) {
            try {
                profiles.add(Enrollments.newProfile(request, now));
            } catch (RuntimeException refused) {
                return Optional.empty(); // the single enroll refuses this one by name and lets the others go
            }
        }
        if (!subscribers.createAll(sample.account(), profiles)) {
            return Optional.empty();
        }
        List<Enrollment> started = new ArrayList<>(requests.size());
        List<Tick> firstTicks = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            Enrollment first = notices.stamp(Optional.empty(),
                    Enrollments.firstStep(sequence.get(), requests.get(i), profiles.get(i), 1, now, tokens.get()));
            started.add(first);
            firstTicks.add(Tick.forNextStep(first));
        }
        List<Tick> later = new ArrayList<>(firstTicks.size());
        for (Tick tick : firstTicks) {
            if (tick.dueAt().isBefore(now.plus(GROUPED_FROM))) {
                timers.schedule(tick, tick.dueAt());
            } else {
                later.add(tick);
            }
        }
        for (Timer timer : TickGroup.of(later)) {
            timers.schedule(timer, timer.fireAt());
        }
        try {
            store.createAll(started);
        } catch (AlreadyExists enrolledMeanwhile) {
            return Optional.empty();
        }
        return Optional.of(started.stream().map(e -> new EnrollResult(e, true)).toList());
    }

    private static boolean oneSequence(List<EnrollRequest> requests) {
        if (requests.isEmpty()) {
            return false;
        }
        EnrollmentKey sample = requests.get(0).key();
        Set<String> ids = new HashSet<>();
        for (EnrollRequest r : requests) {
            if (!r.key().account().equals(sample.account()) || !r.key().sequenceId().equals(sample.sequenceId())
                    || !ids.add(r.key().subscriberId())) {
                return false;
            }
        }
        return true;
    }
}
