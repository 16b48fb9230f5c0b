package io.sequencer.domain.sequence;

import io.sequencer.domain.Ids;
import io.sequencer.domain.enrollment.LeaveReason;
import java.util.Optional;

/** Enrolls a sequence's subscribers into another sequence when something happens to their enrollment. */
public sealed interface Trigger {
    String enroll();

    /** When the subscriber completes this sequence. */
    record OnCompleted(String enroll) implements Trigger {
        public OnCompleted {
            Ids.require("enroll", enroll);
        }
    }

    /**
     * When the subscriber leaves this sequence, for {@code reason} or (when empty) for any reason of their own
     * (unsubscribed or a goal); archiving and a global opt-out never trigger.
     */
    record OnLeft(Optional<LeaveReason> reason, String enroll) implements Trigger {
        public OnLeft {
            Ids.require("enroll", enroll);
            if (reason == null) {
                throw new IllegalArgumentException("reason may be empty, not null");
            }
        }

        public boolean firesFor(LeaveReason left) {
            return reason.map(r -> r == left).orElse(left == LeaveReason.UNSUBSCRIBED || left == LeaveReason.GOAL);
        }
    }

    /** When an event matching {@code event} arrives for a subscriber of this sequence. */
    record OnEvent(EventMatch event, String enroll) implements Trigger {
        public OnEvent {
            Ids.require("enroll", enroll);
            if (event == null) {
                throw new IllegalArgumentException("event is required");
            }
        }
    }
}
