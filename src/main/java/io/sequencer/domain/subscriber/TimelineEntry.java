package io.sequencer.domain.subscriber;

import io.sequencer.domain.Sha256;
import io.sequencer.domain.enrollment.DeferredStep;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.enrollment.StepRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One thing that happened to a subscriber, as their timeline lists it: an enrollment's start, a step's fate and
 * its end, read off the stored enrollment, or an event the host reported, read from the event log.
 *
 * <p>Tie-breaks order the entries of one instant: within a sequence its end ({@code a.}), then its steps, latest
 * first ({@code b.}), then its start ({@code c.}), so a completion recorded with its last step still reads
 * newest first; reported events ({@code e.}) come after them.
 */
public sealed interface TimelineEntry {

    TimelinePosition position();

    default Instant at() {
        return position().at();
    }

    /** The enrollment's current life began ({@code epoch} counts its lives; {@code startedBy} names a trigger). */
    record Started(String sequenceId, Instant at, long epoch, Optional<String> startedBy) implements TimelineEntry {
        @Override
        public TimelinePosition position() {
            return new TimelinePosition(at, "c." + sequenceId);
        }
    }

    /** A step was sent, failed or skipped: entry {@code index} of the enrollment's history. */
    record StepDone(String sequenceId, int index, StepRecord step) implements TimelineEntry {
        @Override
        public TimelinePosition position() {
            // Inverted, so that of two steps recorded at one instant the later one is listed first.
            return new TimelinePosition(step.at(), "b." + sequenceId + "." + String.format("%010d", Integer.MAX_VALUE - index));
        }
    }

    /** The enrollment went through its last step (or its sequence now ends before the next). */
    record Completed(String sequenceId, Instant at) implements TimelineEntry {
        @Override
        public TimelinePosition position() {
            return new TimelinePosition(at, "a." + sequenceId);
        }
    }

    /** The enrollment ended early. */
    record Left(String sequenceId, Instant at, LeaveReason reason) implements TimelineEntry {
        @Override
        public TimelinePosition position() {
            return new TimelinePosition(at, "a." + sequenceId);
        }
    }

    /**
     * The enrollment's next step is waiting for its destination's circuit (since {@code step.since()}): not sent,
     * not failed, and sent once the destination answers again. Shown only by the instance that put it off.
     */
    record Deferred(String sequenceId, DeferredStep step) implements TimelineEntry {
        @Override
        public TimelinePosition position() {
            // An enrollment that waits has not ended, so it cannot share the end's tie-break; it is its newest entry.
            return new TimelinePosition(step.since(), "a." + sequenceId);
        }
    }

    /**
     * An event the host reported, at its own {@code at} or when it arrived. Its tie-break is a digest of its
     * identity, so a repeated report of one event at one time has one position, and is kept once.
     */
    record Reported(Instant at, SubscriberEvent event) implements TimelineEntry {
        @Override
        public TimelinePosition position() {
            return new TimelinePosition(at, "e." + Sha256.hex(event.identity(), 16));
        }
    }

    /**
     * What {@code enrollment} shows of its current life (earlier lives' steps are not kept): its start, each
     * step, and its end. A tombstone shows nothing; nothing ever began there.
     *
     * <p>The end's time. A completion is written together with the last step's record, so it takes that step's
     * time (the enrollment's {@code updatedAt} would not do: engagement with that last step moves it later). A
     * leave takes {@code updatedAt}, its time when written; engagement reported after the leave moves it later.
     */
    static List<TimelineEntry> of(Enrollment enrollment) {
        if (enrollment.isTombstone()) {
            return List.of();
        }
        String sequenceId = enrollment.key().sequenceId();
        List<StepRecord> history = enrollment.history();
        List<TimelineEntry> entries = new ArrayList<>(history.size() + 2);
        entries.add(new Started(sequenceId, enrollment.enrolledAt(), enrollment.lifeEpoch(), enrollment.origin().cause()));
        for (int i = 0; i < history.size(); i++) {
            entries.add(new StepDone(sequenceId, i, history.get(i)));
        }
        switch (enrollment.status()) {
            case COMPLETED -> entries.add(new Completed(sequenceId,
                    history.isEmpty() ? enrollment.updatedAt() : history.get(history.size() - 1).at()));
            case LEFT -> entries.add(new Left(sequenceId, enrollment.updatedAt(), enrollment.leaveReason().orElseThrow()));
            case ACTIVE -> { }
        }
        return entries;
    }
}
