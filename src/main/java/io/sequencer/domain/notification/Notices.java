package io.sequencer.domain.notification;

import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.enrollment.StepRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lifecycle events a change of an enrollment's state means, read off the two states alone, so every path
 * that changes an enrollment (enroll, tick, event, leave, opt-out) reports the same way.
 */
public final class Notices {
    private Notices() {}

    /** What happened between {@code before} (empty: no enrollment yet) and {@code after}, in order. */
    public static List<NoticeDraft> between(Optional<Enrollment> before, Enrollment after) {
        List<NoticeDraft> out = new ArrayList<>();
        boolean sameLife = before.isPresent() && before.get().epoch() == after.epoch();
        if (after.isActive() && !sameLife) {
            out.add(NoticeDraft.of(NoticeType.ENROLLMENT_STARTED, after.enrolledAt(), after.epoch()));
            return out;
        }
        if (before.isPresent() && before.get().status() == EnrollmentStatus.LEFT
                && after.status() == EnrollmentStatus.LEFT && sameLife) {
            // A send that finished after the leave: its notice belongs to the life the leave ended (one epoch back).
            Enrollment was = before.get();
            for (StepRecord record : appended(was, after)) {
                out.add(stepNotice(record, was.epoch() - 1));
            }
            return out;
        }
        if (before.isEmpty() || !before.get().isActive()) {
            return out; // a tombstone, a touch, or engagement on an ended enrollment
        }
        Enrollment was = before.get();
        // Steps recorded since (an ongoing life only appends; leaving keeps the history and may add the last step).
        for (StepRecord record : appended(was, after)) {
            out.add(stepNotice(record, was.epoch()));
        }
        if (after.status() == EnrollmentStatus.COMPLETED) {
            out.add(NoticeDraft.of(NoticeType.ENROLLMENT_COMPLETED, after.updatedAt(), after.epoch()));
        } else if (after.status() == EnrollmentStatus.LEFT) {
            // Leaving bumps the epoch: the notice belongs to the life that ended.
            out.add(new NoticeDraft(NoticeType.ENROLLMENT_LEFT, after.updatedAt(), was.epoch(), Optional.empty(),
                    Optional.empty(), after.leaveReason().map(LeaveReason::wireName)));
        }
        return out;
    }

    private static List<StepRecord> appended(Enrollment was, Enrollment after) {
        return after.history().subList(Math.min(was.history().size(), after.history().size()), after.history().size());
    }

    private static NoticeDraft stepNotice(StepRecord record, long epoch) {
        NoticeType type = switch (record.outcome()) {
            case SENT -> NoticeType.STEP_SENT;
            case FAILED -> NoticeType.STEP_FAILED;
            case SKIPPED -> NoticeType.STEP_SKIPPED;
        };
        return new NoticeDraft(type, record.at(), epoch, Optional.of(record.stepId()), Optional.of(record.deliveryId()),
                type == NoticeType.STEP_SENT || record.detail().isEmpty() ? Optional.empty() : Optional.of(record.detail()),
                record.channel(), record.variant());
    }
}
