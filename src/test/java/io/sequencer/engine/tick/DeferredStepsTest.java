package io.sequencer.engine.tick;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.channel.DeliveryDeferral;
import io.sequencer.domain.enrollment.DeferredStep;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The list of steps put off for an open circuit: current steps only, and bounded without losing the live ones. */
class DeferredStepsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private static final Duration OPEN = Duration.ofSeconds(30);
    private static final String DESTINATION = "https://host.example:443";

    private final DeferredSteps steps = new DeferredSteps();

    private static EnrollmentKey key(int i) {
        return new EnrollmentKey("acme", "welcome", "s" + i);
    }

    /** An active enrollment of subscriber {@code i} in life {@code epoch}, about to send {@code stepId}. */
    private static Enrollment waiting(int i, long epoch, String stepId) {
        Step step = new Step(stepId, Delay.of(0, DelayUnit.SECONDS), "{}");
        return Enrollment.start(key(i), epoch, step, T0, T0, "token", Optional.empty(), Origin.HOST);
    }

    private void defer(int i, Instant at) {
        steps.deferred(key(i), 1, "offer", new DeliveryDeferral(DESTINATION, DeliveryDeferral.Cause.CIRCUIT_OPEN, at, at.plus(OPEN)));
    }

    private void fill(Instant at) {
        for (int i = 0; i < DeferredSteps.MAX_LISTED; i++) {
            defer(i, at);
        }
    }

    @Test
    void a_step_put_off_again_keeps_when_it_was_first_put_off() {
        defer(1, T0);
        defer(1, T0.plusSeconds(30));
        assertThat(steps.of(waiting(1, 1, "offer"))).contains(
                new DeferredStep(1, "offer", DESTINATION, T0, T0.plusSeconds(30).plus(OPEN)));
    }

    @Test
    void only_the_step_the_enrollment_is_waiting_to_send_now_is_shown() {
        defer(1, T0);
        assertThat(steps.of(waiting(1, 1, "offer"))).isPresent();
        assertThat(steps.of(waiting(1, 2, "offer"))).as("a later life of the enrollment").isEmpty();
        assertThat(steps.of(waiting(1, 1, "reminder"))).as("it moved on to another step").isEmpty();
        assertThat(steps.of(waiting(2, 1, "offer"))).as("another subscriber").isEmpty();
        steps.wentAhead(key(1));
        assertThat(steps.of(waiting(1, 1, "offer"))).isEmpty();
    }

    @Test
    void once_ten_thousand_are_listed_a_new_one_is_not_but_a_listed_one_is_still_kept_up_to_date() {
        fill(T0);
        defer(DeferredSteps.MAX_LISTED, T0);
        assertThat(steps.of(waiting(DeferredSteps.MAX_LISTED, 1, "offer"))).as("beyond the bound").isEmpty();
        defer(0, T0.plusSeconds(30));
        assertThat(steps.of(waiting(0, 1, "offer"))).hasValueSatisfying(
                step -> assertThat(step.until()).isEqualTo(T0.plusSeconds(30).plus(OPEN)));
    }

    @Test
    void a_full_list_forgets_entries_an_hour_past_their_wait_to_make_room_for_a_new_one() {
        fill(T0);
        Instant later = T0.plus(OPEN).plus(Duration.ofHours(1)).plusSeconds(1);
        defer(DeferredSteps.MAX_LISTED, later);
        assertThat(steps.of(waiting(DeferredSteps.MAX_LISTED, 1, "offer"))).isPresent();
        assertThat(steps.of(waiting(0, 1, "offer"))).as("long forgotten by whoever took its tick over").isEmpty();
    }
}
