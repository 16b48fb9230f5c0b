package io.sequencer.domain.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.timer.Tick;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TickVerdictTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final EnrollmentKey KEY = new EnrollmentKey("acme", "welcome", "sub-1");
    private static final Step FIRST = new Step("s1", Delay.of(1, DelayUnit.HOURS), "{}");
    private static final Step SECOND = new Step("s2", Delay.of(1, DelayUnit.HOURS), "{}");

    private final Enrollment enrolled = Enrollment.start(KEY, 3, FIRST, NOW, NOW, "token-a", Optional.empty(), Origin.HOST);
    private final Tick current = Tick.forNextStep(enrolled);

    @Test
    void the_tick_the_enrollment_waits_for_is_current() {
        assertThat(TickVerdict.judge(enrolled, current)).isInstanceOf(TickVerdict.Current.class);
    }

    @Test
    void a_tick_for_an_enrollment_not_yet_stored_is_ahead() {
        assertThat(TickVerdict.judge(null, current)).isInstanceOf(TickVerdict.Ahead.class);
    }

    @Test
    void a_tick_from_an_earlier_epoch_is_stale() {
        Enrollment reEnrolled = Enrollment.start(KEY, 4, FIRST, NOW, NOW, "token-b", Optional.empty(), Origin.HOST);
        assertThat(TickVerdict.judge(reEnrolled, current)).isInstanceOf(TickVerdict.Stale.class);
    }

    @Test
    void a_tick_from_a_newer_epoch_than_stored_is_ahead() {
        Tick newer = new Tick(KEY, 4, 0, "s1", NOW, "token-b", 1, 0, 0);
        assertThat(TickVerdict.judge(enrolled, newer)).isInstanceOf(TickVerdict.Ahead.class);
    }

    @Test
    void a_tick_for_a_subscriber_who_left_is_stale() {
        Enrollment left = enrolled.leave(LeaveReason.UNSUBSCRIBED, NOW);
        assertThat(TickVerdict.judge(left, current)).isInstanceOf(TickVerdict.Stale.class);
    }

    @Test
    void a_tick_for_a_step_already_done_is_stale() {
        StepRecord done = new StepRecord("s1", "d", StepOutcome.SENT, NOW, 1, "");
        Enrollment advanced = enrolled.advance(done, SECOND, NOW.plusSeconds(3600), "token-c", NOW);
        assertThat(TickVerdict.judge(advanced, current)).isInstanceOf(TickVerdict.Stale.class);
    }

    @Test
    void a_tick_for_the_next_step_before_the_advance_is_committed_is_ahead() {
        Tick next = new Tick(KEY, 3, 1, "s2", NOW, "token-c", 1, 0, 0);
        assertThat(TickVerdict.judge(enrolled, next)).isInstanceOf(TickVerdict.Ahead.class);
    }

    @Test
    void a_copy_with_another_timer_token_is_superseded() {
        Tick orphan = new Tick(KEY, 3, 0, "s1", NOW, "token-orphan", 1, 0, 0);
        assertThat(TickVerdict.judge(enrolled, orphan)).isInstanceOf(TickVerdict.Stale.class);
    }

    @Test
    void delivery_ids_are_stable_per_step_and_epoch_and_differ_otherwise() {
        DeliveryId id = current.deliveryId();
        assertThat(current.nextAttempt().nextAttempt().deliveryId()).isEqualTo(id);
        assertThat(current.waitedOnce().deliveryId()).isEqualTo(id);
        List<DeliveryId> others = List.of(
                new Tick(KEY, 4, 0, "s1", NOW, "t", 1, 0, 0).deliveryId(),
                new Tick(KEY, 3, 1, "s1", NOW, "t", 1, 0, 0).deliveryId(),
                new Tick(KEY, 3, 0, "s2", NOW, "t", 1, 0, 0).deliveryId(),
                new Tick(new EnrollmentKey("acme", "welcome", "sub-2"), 3, 0, "s1", NOW, "t", 1, 0, 0).deliveryId());
        assertThat(others).doesNotContain(id).doesNotHaveDuplicates();
        assertThat(id.value()).matches("dlv_[0-9a-f]{32}");
    }
}
