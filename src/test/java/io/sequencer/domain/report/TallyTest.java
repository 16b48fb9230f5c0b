package io.sequencer.domain.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.notification.NoticeType;
import io.sequencer.domain.notification.Notices;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.subscriber.Engagement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The counts a change of one enrollment means, read off its two states. */
class TallyTest {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private static final EnrollmentKey ANN = new EnrollmentKey("acme", "welcome", "ann");
    private static final Step ONE = new Step("one", Delay.of(0, DelayUnit.SECONDS), "{}");
    private static final Step TWO = new Step("two", Delay.of(1, DelayUnit.HOURS), "{}");

    private static Enrollment started(long epoch) {
        return Enrollment.start(ANN, epoch, ONE, T0, T0, "t" + epoch, Optional.empty(), Origin.HOST);
    }

    private static StepRecord record(String stepId, StepOutcome outcome, String detail, Instant at) {
        return new StepRecord(stepId, "d-" + stepId, outcome, at, 1, detail);
    }

    @Test
    void a_first_enrollment_counts_one_enrolled_and_its_first_step_scheduled() {
        assertThat(Tally.between(Optional.empty(), started(1)).counts())
                .isEqualTo(Map.of("enrolled", 1L, "step|one|scheduled", 1L, "step|one|waiting", 1L));
    }

    @Test
    void a_send_counts_the_step_its_latency_bucket_and_the_next_step_scheduled() {
        Enrollment before = started(1);
        Instant sentAt = T0.plusSeconds(42);
        Enrollment after = before.advance(record("one", StepOutcome.SENT, "", sentAt), TWO, sentAt.plusSeconds(3600), "t2", sentAt);
        assertThat(Tally.between(Optional.of(before), after).counts()).isEqualTo(Map.of(
                "step|one|sent", 1L, "step|one|ms|" + LatencyBuckets.bucketOf(42_000), 1L, "step|two|scheduled", 1L,
                "step|one|waiting", -1L, "step|two|waiting", 1L));
    }

    @Test
    void a_send_recorded_after_the_leave_counts_the_step_once_and_not_the_leave_again() {
        Enrollment left = started(1).leave(LeaveReason.UNSUBSCRIBED, T0.plusSeconds(1));
        Instant sentAt = T0.plusSeconds(2);
        Enrollment recorded = left.recordedAfterLeaving(record("one", StepOutcome.SENT, "", sentAt));
        assertThat(Tally.between(Optional.of(left), recorded).counts()).isEqualTo(Map.of(
                "step|one|sent", 1L, "step|one|ms|" + LatencyBuckets.bucketOf(2_000), 1L));
        assertThat(Tally.between(Optional.of(recorded), recorded.touched(sentAt)).isEmpty()).isTrue();
        assertThat(Notices.between(Optional.of(left), recorded)).singleElement().satisfies(notice -> {
            assertThat(notice.type()).isEqualTo(NoticeType.STEP_SENT);
            assertThat(notice.epoch()).as("the life the leave ended").isEqualTo(1);
        });
    }

    @Test
    void the_same_state_written_again_counts_nothing() {
        Enrollment state = started(1);
        assertThat(Tally.between(Optional.of(state), state).isEmpty()).isTrue();
        assertThat(Tally.between(Optional.of(state), state.touched(T0.plusSeconds(5))).isEmpty()).isTrue();
        assertThat(Tally.between(Optional.empty(), Enrollment.tombstone(ANN, LeaveReason.OPTED_OUT, T0)).isEmpty()).isTrue();
    }

    @Test
    void engagement_counts_each_new_signal_once_also_after_the_enrollment_ended() {
        Enrollment done = started(1).complete(record("one", StepOutcome.SENT, "", T0), T0);
        Enrollment read = done.engaged(r -> true, Engagement.READ, T0.plusSeconds(60));
        assertThat(Tally.between(Optional.of(done), read).counts())
                .isEqualTo(Map.of("step|one|delivered", 1L, "step|one|read", 1L));
        Enrollment clicked = read.engaged(r -> true, Engagement.CLICKED, T0.plusSeconds(90));
        assertThat(Tally.between(Optional.of(read), clicked).counts()).isEqualTo(Map.of("step|one|clicked", 1L));
        assertThat(Tally.between(Optional.of(clicked), clicked.engaged(r -> true, Engagement.CLICKED, T0)).isEmpty()).isTrue();
    }

    @Test
    void engagement_reported_before_the_record_is_counted_with_it() {
        Enrollment early = started(1).engagedEarly(Engagement.CLICKED, T0);
        assertThat(Tally.between(Optional.of(started(1)), early).isEmpty()).isTrue();
        Enrollment done = early.complete(record("one", StepOutcome.SENT, "", T0), T0);
        assertThat(Tally.between(Optional.of(early), done).counts()).containsEntry("step|one|clicked", 1L)
                .containsEntry("step|one|read", 1L).containsEntry("step|one|delivered", 1L).containsEntry("completed", 1L);
    }

    @Test
    void failures_and_skips_count_by_class_and_reason() {
        Enrollment before = started(1);
        assertThat(Tally.between(Optional.of(before), before.advance(
                record("one", StepOutcome.FAILED, StepRecord.GAVE_UP + "5 attempts: HTTP 503", T0), TWO, T0, "t", T0)).counts())
                .containsEntry("step|one|failed|transient", 1L);
        assertThat(Tally.between(Optional.of(before), before.leaveAfter(
                record("one", StepOutcome.FAILED, StepRecord.UNREACHABLE + "551", T0), LeaveReason.BLOCKED, T0)).counts())
                .isEqualTo(Map.of("step|one|failed|recipient_gone", 1L, "left|blocked", 1L, "step|one|waiting", -1L));
        assertThat(Tally.between(Optional.of(before), before.complete(
                record("one", StepOutcome.SKIPPED, "branched to three", T0), T0)).counts())
                .containsEntry("step|one|skipped|branched", 1L);
        assertThat(Tally.between(Optional.of(before), before.complete(
                record("one", StepOutcome.SKIPPED, "outside_messaging_window", T0), T0)).counts())
                .containsEntry("step|one|skipped|outside_messaging_window", 1L);
    }

    @Test
    void a_restart_while_active_ends_the_old_life_as_restarted_and_a_reentry_after_leaving_does_not() {
        Enrollment first = started(1);
        assertThat(Tally.between(Optional.of(first), started(2)).counts())
                .isEqualTo(Map.of("enrolled", 1L, "restarted", 1L, "step|one|scheduled", 1L));
        Enrollment left = first.leave(LeaveReason.UNSUBSCRIBED, T0.plus(Duration.ofMinutes(1)));
        assertThat(Tally.between(Optional.of(first), left).counts())
                .isEqualTo(Map.of("left|unsubscribed", 1L, "step|one|waiting", -1L));
        assertThat(Tally.between(Optional.of(left), started(3)).counts())
                .isEqualTo(Map.of("enrolled", 1L, "step|one|scheduled", 1L, "step|one|waiting", 1L));
    }

    @Test
    void the_waiting_gauge_follows_the_step_waited_for_through_every_transition_and_sums_to_the_state() {
        Enrollment one = started(1);
        Enrollment two = one.advance(record("one", StepOutcome.SENT, "", T0), TWO, T0.plusSeconds(3600), "t2", T0);
        Enrollment backToOne = two.movedTo(ONE, T0.plusSeconds(60), "t3", T0.plusSeconds(1));
        Enrollment left = backToOne.leave(LeaveReason.UNSUBSCRIBED, T0.plusSeconds(2));
        Enrollment again = Enrollment.start(ANN, left.epoch() + 1, ONE, T0, T0.plusSeconds(3), "t4", Optional.empty(),
                Origin.HOST);
        Enrollment done = again.complete(record("one", StepOutcome.SENT, "", T0.plusSeconds(4)), T0.plusSeconds(4));
        assertThat(Tally.between(Optional.of(two), backToOne).counts())
                .containsEntry("step|two|waiting", -1L).containsEntry("step|one|waiting", 1L);
        Tally sum = Tally.EMPTY;
        Optional<Enrollment> before = Optional.empty();
        for (Enrollment state : java.util.List.of(one, two, backToOne, left, again, done)) {
            sum = sum.plus(Tally.between(before, state));
            before = Optional.of(state);
            long waitingOne = state.isActive() && state.nextStepId().equals("one") ? 1 : 0;
            long waitingTwo = state.isActive() && state.nextStepId().equals("two") ? 1 : 0;
            assertThat(sum.get("step|one|waiting")).as(state.toString()).isEqualTo(waitingOne);
            assertThat(sum.get("step|two|waiting")).as(state.toString()).isEqualTo(waitingTwo);
        }
    }

    @Test
    void tallies_add_up_and_zeros_vanish() {
        Tally a = new Tally(Map.of("enrolled", 2L, "completed", 0L));
        assertThat(a.counts()).containsOnlyKeys("enrolled");
        assertThat(a.plus(new Tally(Map.of("enrolled", 3L, "left|goal", 1L))).counts())
                .isEqualTo(Map.of("enrolled", 5L, "left|goal", 1L));
    }

    @Test
    void the_median_of_bucketed_durations_is_within_five_percent() {
        Map<Integer, Long> buckets = new TreeMap<>();
        long[] millis = {10, 900, 1_000, 60_000, 86_400_000};
        for (long m : millis) {
            buckets.merge(LatencyBuckets.bucketOf(m), 1L, Long::sum);
            Duration middle = LatencyBuckets.middleOf(LatencyBuckets.bucketOf(m));
            assertThat((double) middle.toMillis()).isCloseTo(m, org.assertj.core.data.Percentage.withPercentage(5));
        }
        assertThat(LatencyBuckets.median(buckets).orElseThrow().toMillis()).isBetween(950L, 1050L);
        assertThat(LatencyBuckets.median(Map.of())).isEmpty();
    }

    @Test
    void tallies_add_up_and_an_empty_one_adds_nothing() {
        Tally one = new Tally(Map.of("enrolled", 1L, "completed", 1L));
        assertThat(one.plus(new Tally(Map.of("enrolled", 2L))).counts()).isEqualTo(Map.of("enrolled", 3L, "completed", 1L));
        assertThat(one.plus(Tally.EMPTY)).isEqualTo(one);
        assertThat(Tally.EMPTY.plus(one)).isEqualTo(one);
    }
}
