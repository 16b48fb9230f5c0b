package io.sequencer.domain.report;

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
import io.sequencer.domain.subscriber.Engagement;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Goals, unsubscribes, variants and the holdout as counts: credited once, to the right step and variant. */
class ConversionTallyTest {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private static final EnrollmentKey ANN = new EnrollmentKey("acme", "welcome", "ann");
    private static final Step ONE = new Step("one", Delay.of(0, DelayUnit.SECONDS), "{}");
    private static final Step TWO = new Step("two", Delay.of(1, DelayUnit.HOURS), "{}");
    private static final Step THREE = new Step("three", Delay.of(1, DelayUnit.HOURS), "{}");

    private static StepRecord sent(String stepId, String variant, Instant at) {
        return new StepRecord(stepId, "d-" + stepId, StepOutcome.SENT, at, 1, "")
                .withVariant(Optional.ofNullable(variant));
    }

    /** Ann was sent step one as variant b, then step two (no variant), and waits for step three. */
    private static Enrollment afterTwoSends() {
        Enrollment e = Enrollment.start(ANN, 1, ONE, T0, T0, "t1", Optional.empty(), Origin.HOST);
        e = e.advance(sent("one", "b", T0), TWO, T0.plusSeconds(3600), "t2", T0);
        return e.advance(sent("two", null, T0.plusSeconds(3600)), THREE, T0.plusSeconds(7200), "t3", T0.plusSeconds(3600));
    }

    @Test
    void a_variant_send_counts_an_exposure_of_that_variant() {
        Enrollment before = Enrollment.start(ANN, 1, ONE, T0, T0, "t1", Optional.empty(), Origin.HOST);
        Enrollment after = before.advance(sent("one", "b", T0), TWO, T0.plusSeconds(3600), "t2", T0);
        assertThat(Tally.between(Optional.of(before), after).get(Tally.variant("one", "b", Tally.EXPOSED))).isEqualTo(1);
    }

    @Test
    void a_goal_is_credited_to_the_last_step_sent_and_to_every_variant_seen() {
        Enrollment before = afterTwoSends();
        Enrollment converted = before.leave(LeaveReason.GOAL, T0.plusSeconds(4000));
        Tally t = Tally.between(Optional.of(before), converted);
        assertThat(t.get(Tally.step("two", Tally.CONVERTED))).isEqualTo(1);
        assertThat(t.get(Tally.step("one", Tally.CONVERTED))).isZero();
        assertThat(t.get(Tally.variant("one", "b", Tally.CONVERTED))).isEqualTo(1);
        assertThat(t.get(Tally.heldOut(Tally.left(LeaveReason.GOAL)))).isZero();
    }

    @Test
    void an_opt_out_counts_as_an_unsubscribe_of_the_last_step_sent() {
        Enrollment before = afterTwoSends();
        Tally t = Tally.between(Optional.of(before), before.leave(LeaveReason.OPTED_OUT, T0.plusSeconds(4000)));
        assertThat(t.get(Tally.step("two", Tally.UNSUBSCRIBED))).isEqualTo(1);
        assertThat(t.get(Tally.variant("one", "b", Tally.UNSUBSCRIBED))).isEqualTo(1);
    }

    @Test
    void a_goal_heard_again_after_the_leave_counts_nothing() {
        Enrollment converted = afterTwoSends().leave(LeaveReason.GOAL, T0.plusSeconds(4000));
        assertThat(Tally.between(Optional.of(converted), converted.touched(T0.plusSeconds(5000))).isEmpty()).isTrue();
    }

    @Test
    void engagement_with_a_variant_counts_for_that_variant() {
        Enrollment before = afterTwoSends();
        Enrollment clicked = before.engaged(r -> r.stepId().equals("one"), Engagement.CLICKED, T0.plusSeconds(3700));
        Tally t = Tally.between(Optional.of(before), clicked);
        assertThat(t.get(Tally.variant("one", "b", Engagement.CLICKED.wireName()))).isEqualTo(1);
        assertThat(t.get(Tally.step("one", Engagement.CLICKED.wireName()))).isEqualTo(1);
    }

    @Test
    void a_held_out_life_counts_its_enrollment_and_goal_apart_with_no_step_credited() {
        Enrollment started = Enrollment.start(ANN, 1, ONE, T0, T0, "t1", Optional.empty(), Origin.HOST, true);
        assertThat(Tally.between(Optional.empty(), started).get(Tally.heldOut(Tally.ENROLLED))).isEqualTo(1);
        Enrollment skipped = started.advance(new StepRecord("one", "d-one", StepOutcome.SKIPPED, T0, 1,
                StepRecord.HELD_OUT), TWO, T0.plusSeconds(3600), "t2", T0);
        Tally step = Tally.between(Optional.of(started), skipped);
        assertThat(step.get(Tally.step("one", Tally.SKIPPED, "held_out"))).isEqualTo(1);
        Tally goal = Tally.between(Optional.of(skipped), skipped.leave(LeaveReason.GOAL, T0.plusSeconds(10)));
        assertThat(goal.get(Tally.heldOut(Tally.left(LeaveReason.GOAL)))).isEqualTo(1);
        assertThat(goal.get(Tally.left(LeaveReason.GOAL))).isEqualTo(1);
        assertThat(goal.counts().keySet()).noneMatch(name -> name.endsWith("|" + Tally.CONVERTED));
    }
}
