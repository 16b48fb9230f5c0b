package io.sequencer.engine.tick;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.draft;
import static io.sequencer.engine.EngineFixture.subscriber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.timer.RetryBackoff;
import io.sequencer.domain.timer.Tick;
import io.sequencer.domain.timer.TimerDelay;
import io.sequencer.engine.EngineFixture;
import io.sequencer.engine.send.Channel;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TickHandlerTest {
    private final EngineFixture engine = new EngineFixture();

    @Test
    void every_step_is_sent_in_order_each_counted_from_the_previous_send() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 60, 3600));
        Instant start = engine.clock.instant();
        engine.enrollments.enroll(subscriber("ann"));
        engine.runFor(Duration.ofDays(1));
        List<Delivery> sent = engine.channel.deliveries();
        assertThat(sent).extracting(Delivery::stepId).containsExactly("step-1", "step-2", "step-3");
        assertThat(sent).extracting(Delivery::dueAt)
                .containsExactly(start, start.plusSeconds(60), start.plusSeconds(3660));
        assertThat(sent).extracting(Delivery::message).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        Enrollment done = engine.enrollments.get(subscriber("ann"));
        assertThat(done.status()).isEqualTo(EnrollmentStatus.COMPLETED);
        assertThat(done.stepsSent()).isEqualTo(3);
        assertThat(done.history()).extracting(r -> r.deliveryId())
                .containsExactlyElementsOf(sent.stream().map(d -> d.deliveryId().value()).toList());
    }

    @Test
    void a_duplicated_tick_sends_nothing_new() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(10, 10));
        engine.enrollments.enroll(subscriber("ann"));
        Tick original = engine.queue.pending().get(0).tick();
        engine.clock.advance(Duration.ofSeconds(10));
        engine.handleVisible();
        TickOutcome duplicate = engine.ticks.handle(original);
        assertThat(duplicate).isInstanceOf(TickOutcome.Dropped.class);
        assertThat(engine.channel.deliveries()).hasSize(1);
        assertThat(engine.queue.pending()).hasSize(1);
    }

    @Test
    void a_stale_epoch_tick_is_dropped() {
        engine.catalog.define(ACCOUNT, SEQUENCE, EngineFixture.reenterable(draft(10, 10)));
        engine.enrollments.enroll(subscriber("ann"));
        Tick firstLife = engine.queue.takeNextVisible().orElseGet(() -> engine.queue.pending().get(0).tick());
        engine.enrollments.leave(subscriber("ann"));
        engine.enrollments.enroll(subscriber("ann"));
        engine.clock.advance(Duration.ofSeconds(10));
        assertThat(engine.ticks.handle(firstLife)).isInstanceOfSatisfying(TickOutcome.Dropped.class,
                d -> assertThat(d.reason()).contains("epoch"));
        assertThat(engine.channel.deliveries()).isEmpty();
    }

    @Test
    void a_transient_failure_is_retried_later_with_the_same_delivery_id() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0));
        engine.channel.thenAnswer(new SendResult.TransientFailure("HTTP 503", null),
                new SendResult.TransientFailure("HTTP 429", Duration.ofMinutes(2)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.runFor(Duration.ofHours(1));
        List<Delivery> attempts = engine.channel.deliveries();
        assertThat(attempts).hasSize(3);
        assertThat(attempts).extracting(Delivery::deliveryId).containsOnly(attempts.get(0).deliveryId());
        assertThat(attempts).extracting(Delivery::attempt).containsExactly(1, 2, 3);
        assertThat(engine.outcomes.get(1)).isInstanceOfSatisfying(TickOutcome.RetryLater.class,
                r -> assertThat(r.after()).isEqualTo(Duration.ofMinutes(2)));
        assertThat(engine.enrollments.get(subscriber("ann")).history().get(0).outcome()).isEqualTo(StepOutcome.SENT);
    }

    @Test
    void a_server_asking_to_retry_after_ten_days_is_retried_after_seven_without_failing_the_tick() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0));
        engine.channel.thenAnswer(new SendResult.TransientFailure("HTTP 503", Duration.ofDays(10)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.runFor(Duration.ofDays(8));
        assertThat(engine.outcomes.get(0)).isInstanceOfSatisfying(TickOutcome.RetryLater.class,
                r -> assertThat(r.after()).isEqualTo(TimerDelay.MAX_VISIBILITY));
        assertThat(engine.enrollments.get(subscriber("ann")).status()).isEqualTo(EnrollmentStatus.COMPLETED);
    }

    @Test
    void a_permanent_failure_is_recorded_and_the_sequence_goes_on() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 5));
        engine.channel.thenAnswer(new SendResult.PermanentFailure("webhook answered HTTP 410"));
        engine.enrollments.enroll(subscriber("ann"));
        engine.runFor(Duration.ofHours(1));
        Enrollment done = engine.enrollments.get(subscriber("ann"));
        assertThat(done.history()).extracting(r -> r.outcome()).containsExactly(StepOutcome.FAILED, StepOutcome.SENT);
        assertThat(done.history().get(0).detail()).contains("410");
        assertThat(done.status()).isEqualTo(EnrollmentStatus.COMPLETED);
    }

    @Test
    void when_every_retry_fails_the_step_is_failed_and_the_sequence_goes_on() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 5));
        for (int i = 0; i < 4; i++) {
            engine.channel.thenAnswer(new SendResult.TransientFailure("timeout", null));
        }
        engine.enrollments.enroll(subscriber("ann"));
        engine.runFor(Duration.ofDays(1));
        Enrollment done = engine.enrollments.get(subscriber("ann"));
        assertThat(done.history().get(0).outcome()).isEqualTo(StepOutcome.FAILED);
        assertThat(done.history().get(0).attempts()).isEqualTo(4);
        assertThat(done.history().get(0).detail()).startsWith("gave up after 4 attempts");
        assertThat(done.history().get(1).outcome()).isEqualTo(StepOutcome.SENT);
    }

    @Test
    void a_step_thirty_days_away_hops_over_the_seven_day_cap_and_is_never_sent_early() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(30L * 86400));
        Instant due = engine.clock.instant().plus(Duration.ofDays(30));
        engine.enrollments.enroll(subscriber("ann"));
        assertThat(engine.queue.pending().get(0).visibleAt()).isEqualTo(engine.clock.instant().plus(TimerDelay.MAX_VISIBILITY));
        engine.runFor(Duration.ofDays(31));
        assertThat(engine.outcomes).filteredOn(o -> o instanceof TickOutcome.Hop).hasSize(4);
        assertThat(engine.channel.deliveries()).hasSize(1);
        Instant sentAt = engine.enrollments.get(subscriber("ann")).history().get(0).at();
        assertThat(sentAt).isEqualTo(due);
    }

    @Test
    void a_tick_ahead_of_its_enrollment_waits_instead_of_sending() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 0));
        engine.enrollments.enroll(subscriber("ann"));
        Enrollment stored = engine.enrollments.get(subscriber("ann"));
        Tick ahead = new Tick(stored.key(), stored.epoch(), 1, "step-2", engine.clock.instant(), "token-next", 1, 0, 0);
        assertThat(engine.ticks.handle(ahead)).isInstanceOf(TickOutcome.Wait.class);
        assertThat(engine.channel.deliveries()).isEmpty();
    }

    @Test
    void a_step_removed_by_a_replaced_definition_falls_back_to_the_step_now_at_that_position() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 60, 60));
        engine.enrollments.enroll(subscriber("ann"));
        engine.runFor(Duration.ofSeconds(1));
        var renamed = new io.sequencer.domain.sequence.SequenceDraft("Welcome", List.of(
                draft(0).steps().get(0),
                new io.sequencer.domain.sequence.Step("step-2b", Delay.of(60, DelayUnit.SECONDS), "{\"n\":22}"),
                draft(0, 0, 60).steps().get(2)), draft(0).channel());
        engine.catalog.define(ACCOUNT, SEQUENCE, renamed);
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.channel.deliveries()).extracting(Delivery::stepId).containsExactly("step-1", "step-2b", "step-3");
        // The id is the tick's (scheduled for step-2), whatever step the definition now puts in its place.
        assertThat(engine.channel.deliveries().get(1).deliveryId())
                .isEqualTo(DeliveryId.of(subscriber("ann"), 1, 1, "step-2"));
    }

    /** A handler whose process dies just after the receiver got the step, before anything is recorded. */
    private TickHandler dyingAfterTheSend() {
        Channel dies = (config, delivery) -> {
            engine.channel.send(config, delivery);
            throw new IllegalStateException("process died");
        };
        return engine.builder().channel(dies).backoff(RetryBackoff.DEFAULT).build().ticks();
    }

    private static Step stepNamed(String id, String message) {
        return new Step(id, Delay.of(0, DelayUnit.SECONDS), message);
    }

    @Test
    void a_step_renamed_between_its_send_and_its_record_is_sent_again_under_the_same_delivery_id() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 60));
        engine.enrollments.enroll(subscriber("ann"));
        Tick first = engine.queue.takeNextVisible().orElseThrow();
        assertThatThrownBy(() -> dyingAfterTheSend().handle(first)).hasMessage("process died");
        engine.catalog.define(ACCOUNT, SEQUENCE, new SequenceDraft("Welcome",
                List.of(stepNamed("hello", "{\"n\":1}"), draft(0, 60).steps().get(1)), draft(0).channel()));
        engine.ticks.handle(first); // the queue's redelivery
        List<Delivery> sent = engine.channel.deliveries();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).deliveryId()).as("the receiver recognises the repeat").isEqualTo(sent.get(0).deliveryId());
        assertThat(engine.enrollments.get(subscriber("ann")).history())
                .extracting(StepRecord::stepId, StepRecord::deliveryId)
                .containsExactly(tuple("hello", sent.get(0).deliveryId().value()));
    }

    @Test
    void a_step_removed_between_its_send_and_its_record_is_not_sent_again_under_a_new_delivery_id() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 10, 60));
        engine.enrollments.enroll(subscriber("ann"));
        engine.handleVisible();
        engine.clock.advance(Duration.ofSeconds(10));
        Tick second = engine.queue.takeNextVisible().orElseThrow();
        assertThat(second.stepId()).isEqualTo("step-2");
        assertThat(catchThrowable(() -> dyingAfterTheSend().handle(second))).hasMessage("process died");
        engine.catalog.define(ACCOUNT, SEQUENCE, new SequenceDraft("Welcome",
                List.of(draft(0).steps().get(0), draft(0, 0, 60).steps().get(2)), draft(0).channel()));
        engine.ticks.handle(second);
        engine.runFor(Duration.ofDays(1));
        List<Delivery> sent = engine.channel.deliveries();
        assertThat(sent).extracting(Delivery::deliveryId).as("one id per tick, however the definition changed")
                .containsExactly(sent.get(0).deliveryId(), second.deliveryId(), second.deliveryId());
        Enrollment done = engine.enrollments.get(subscriber("ann"));
        assertThat(done.status()).isEqualTo(EnrollmentStatus.COMPLETED);
        assertThat(done.history()).extracting(StepRecord::deliveryId)
                .containsExactly(sent.get(0).deliveryId().value(), second.deliveryId().value());
    }

    @Test
    void a_definition_shortened_below_the_subscribers_position_completes_them_without_resending() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 0, 60));
        engine.enrollments.enroll(subscriber("ann"));
        engine.runFor(Duration.ofSeconds(1));
        assertThat(engine.channel.deliveries()).hasSize(2);
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 0));
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.channel.deliveries()).extracting(Delivery::stepId).containsExactly("step-1", "step-2");
        Enrollment done = engine.enrollments.get(subscriber("ann"));
        assertThat(done.status()).isEqualTo(EnrollmentStatus.COMPLETED);
        assertThat(done.history()).hasSize(2);
    }

    @Test
    void many_subscribers_each_get_every_step_once() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 30, 30));
        for (int i = 0; i < 50; i++) {
            engine.enrollments.enroll(subscriber("sub-" + i));
        }
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.channel.deliveries()).hasSize(150);
        assertThat(engine.channel.deliveries()).extracting(Delivery::deliveryId).doesNotHaveDuplicates();
    }

    @Test
    void a_tick_whose_sequence_no_longer_exists_is_dropped_without_a_send() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(60));
        engine.enrollments.enroll(subscriber("ann"));
        Tick tick = engine.queue.pending().get(0).tick();
        engine.clock.advance(Duration.ofSeconds(60));
        TickHandler withoutTheSequence = engine.builder()
                .stores(new io.sequencer.testing.InMemorySequenceStore(), engine.enrollmentStore, engine.subscriberStore)
                .build().ticks();
        assertThat(withoutTheSequence.handle(tick)).isEqualTo(new TickOutcome.Dropped("sequence no longer exists"));
        assertThat(engine.channel.deliveries()).isEmpty();
    }
}
