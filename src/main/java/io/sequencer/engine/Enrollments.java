package io.sequencer.engine;

import io.sequencer.domain.Enrollment;
import io.sequencer.domain.EnrollmentKey;
import io.sequencer.domain.LeaveReason;
import io.sequencer.domain.NextSendTime;
import io.sequencer.domain.Sequence;
import io.sequencer.domain.SequenceStatus;
import io.sequencer.domain.Step;
import io.sequencer.domain.Tick;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Use cases on enrollments: enroll, leave, read.
 *
 * <p>Enrolling schedules the first tick <em>before</em> writing the enrollment: if the process dies between the
 * two, the tick finds no matching enrollment, waits a little, and is dropped; the caller's retry enrolls
 * again. The opposite order could leave an active enrollment with no timer, stuck for ever.
 */
public final class Enrollments {
    private static final int MAX_RACES = 5;

    private final SequenceStore sequences;
    private final EnrollmentStore store;
    private final TimerQueue timers;
    private final TimerTokens tokens;
    private final Clock clock;

    public Enrollments(SequenceStore sequences, EnrollmentStore store, TimerQueue timers, TimerTokens tokens, Clock clock) {
        this.sequences = sequences;
        this.store = store;
        this.timers = timers;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** Starts the sequence for the subscriber, on the sequence's clock (or UTC). */
    public EnrollResult enroll(EnrollmentKey key) {
        return enroll(key, Optional.empty());
    }

    /**
     * Starts the sequence for the subscriber, on their clock when {@code timezone} is given; an already active
     * enrollment is returned unchanged.
     */
    public EnrollResult enroll(EnrollmentKey key, Optional<ZoneId> timezone) {
        Sequence sequence = sequences.find(key.account(), key.sequenceId()).map(Stored::value)
                .orElseThrow(() -> new NotFound("sequence " + key.sequenceId()));
        if (sequence.status() == SequenceStatus.ARCHIVED) {
            throw new Conflict("sequence " + key.sequenceId() + " is archived; nobody can be enrolled");
        }
        for (int race = 0; race < MAX_RACES; race++) {
            Optional<Stored<Enrollment>> current = store.find(key);
            if (current.isPresent() && current.get().value().isActive()) {
                return new EnrollResult(current.get().value(), false);
            }
            Instant now = clock.instant();
            long epoch = current.map(c -> c.value().epoch() + 1).orElse(1L);
            Step first = sequence.step(0);
            Instant dueAt = NextSendTime.of(first, sequence, now, now, timezone);
            Enrollment started = Enrollment.start(key, epoch, first, dueAt, now, tokens.get(), timezone);
            timers.schedule(Tick.forNextStep(started), started.nextDueAt());
            try {
                if (current.isEmpty()) {
                    store.create(started);
                } else {
                    store.replace(started, current.get().etag());
                }
                return new EnrollResult(started, true);
            } catch (AlreadyExists | StaleWrite lostRace) {
                // A concurrent enroll or leave won; the tick we scheduled carries a token nobody holds and will
                // be dropped. Look again.
            }
        }
        throw new Conflict("subscriber " + key.subscriberId() + " is being enrolled concurrently; try again");
    }

    /** Takes the subscriber out of the sequence; pending ticks become stale. Leaving twice is harmless. */
    public Enrollment leave(EnrollmentKey key) {
        for (int race = 0; race < MAX_RACES; race++) {
            Stored<Enrollment> current = store.find(key)
                    .orElseThrow(() -> new NotFound("enrollment of " + key.subscriberId()));
            if (!current.value().isActive()) {
                return current.value();
            }
            Enrollment left = current.value().leave(LeaveReason.UNSUBSCRIBED, clock.instant());
            try {
                store.replace(left, current.etag());
                return left;
            } catch (StaleWrite lostRace) {
                // A tick advanced it meanwhile: leave from the new state.
            }
        }
        throw new Conflict("subscriber " + key.subscriberId() + " is changing concurrently; try again");
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
