package io.sequencer.domain.subscriber;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.Step;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What one enrollment shows in its subscriber's timeline, and how entries of one instant are ordered. */
class TimelineEntryTest {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private static final EnrollmentKey KEY = new EnrollmentKey("acme", "welcome", "ann");
    private static final Step ONE = new Step("one", Delay.of(0, DelayUnit.SECONDS), "{}");
    private static final Step TWO = new Step("two", Delay.of(1, DelayUnit.DAYS), "{}");

    private static Enrollment started() {
        return Enrollment.start(KEY, 1, ONE, T0, T0, "token-1", Optional.empty(), Origin.HOST.next("subscribed"));
    }

    private static StepRecord sent(String stepId, Instant at) {
        return new StepRecord(stepId, "dlv_" + stepId, StepOutcome.SENT, at, 1, "HTTP 200");
    }

    @Test
    void a_completion_takes_its_last_steps_time_though_later_engagement_moved_the_enrollment() {
        Enrollment completed = started().advance(sent("one", T0), TWO, T0.plusSeconds(86_400), "token-2", T0)
                .complete(sent("two", T0.plusSeconds(86_400)), T0.plusSeconds(86_400))
                .engaged(r -> r.stepId().equals("two"), Engagement.CLICKED, T0.plusSeconds(90_000));
        List<TimelineEntry> entries = TimelineEntry.of(completed);
        assertThat(entries).containsExactly(
                new TimelineEntry.Started("welcome", T0, 1, Optional.of("subscribed")),
                new TimelineEntry.StepDone("welcome", 0, completed.history().get(0)),
                new TimelineEntry.StepDone("welcome", 1, completed.history().get(1)),
                new TimelineEntry.Completed("welcome", T0.plusSeconds(86_400)));
    }

    @Test
    void a_leave_shows_its_reason_at_the_time_it_was_written() {
        Enrollment left = started().advance(sent("one", T0), TWO, T0.plusSeconds(86_400), "token-2", T0)
                .leave(LeaveReason.GOAL, T0.plusSeconds(30));
        assertThat(TimelineEntry.of(left)).last().isEqualTo(new TimelineEntry.Left("welcome", T0.plusSeconds(30), LeaveReason.GOAL));
        assertThat(TimelineEntry.of(started())).hasSize(1);
    }

    @Test
    void the_start_of_a_life_that_ended_in_a_leave_shows_the_epoch_it_began_in_not_the_one_the_leave_moved_to() {
        Enrollment left = started().leave(LeaveReason.UNSUBSCRIBED, T0.plusSeconds(30));
        assertThat(left.epoch()).isEqualTo(2);
        assertThat(TimelineEntry.of(left)).first()
                .isEqualTo(new TimelineEntry.Started("welcome", T0, 1, Optional.of("subscribed")));
        Enrollment leftAfterAStep = started().leaveAfter(sent("one", T0), LeaveReason.BLOCKED, T0);
        assertThat(TimelineEntry.of(leftAfterAStep)).first()
                .isEqualTo(new TimelineEntry.Started("welcome", T0, 1, Optional.of("subscribed")));
    }

    @Test
    void a_tombstone_shows_nothing_as_nothing_began_there() {
        Enrollment tombstone = Enrollment.tombstone(KEY, LeaveReason.OPTED_OUT, T0);
        assertThat(TimelineEntry.of(tombstone)).isEmpty();
        Enrollment leftAtOnce = started().leave(LeaveReason.OPTED_OUT, T0);
        assertThat(TimelineEntry.of(leftAtOnce)).hasSize(2);
    }

    @Test
    void within_one_instant_an_end_comes_before_its_steps_latest_first_then_the_start_then_events() {
        Enrollment completed = started().advance(sent("one", T0), TWO, T0, "token-2", T0).complete(sent("two", T0), T0);
        TimelineEntry.Reported event = new TimelineEntry.Reported(T0, new SubscriberEvent("ann", EventType.INTERACTED,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("tap"), Optional.empty()));
        List<TimelinePosition> positions = new ArrayList<>(TimelineEntry.of(completed).stream()
                .map(TimelineEntry::position).toList());
        positions.add(event.position());
        assertThat(positions.stream().sorted().toList()).containsExactly(positions.get(3), positions.get(2),
                positions.get(1), positions.get(0), positions.get(4));
        assertThat(positions.get(0).comesAfter(positions.get(3))).isTrue();
    }
}
