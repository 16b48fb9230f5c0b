package io.sequencer.engine;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.subscriber;
import static io.sequencer.engine.Reacting.event;
import static io.sequencer.engine.Reacting.named;
import static io.sequencer.engine.Reacting.on;
import static io.sequencer.engine.Reacting.sequence;
import static io.sequencer.engine.Reacting.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.channel.ChannelTypes;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.Trigger;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.domain.timer.RetryBackoff;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.enrollment.EnrollResult;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendGate;
import io.sequencer.engine.subscriber.SubscriberStore;
import io.sequencer.engine.tick.TickOutcome;
import io.sequencer.testing.PortInterceptor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Triggers between sequences, loops that stop, and the re-entry policies. */
class TriggersAndReentryTest {
    private final EngineFixture engine = new EngineFixture();

    private static EnrollmentKey in(String sequenceId, String subscriberId) {
        return new EnrollmentKey(ACCOUNT, sequenceId, subscriberId);
    }

    private static SequenceRules then(ReentryPolicy reentry, Trigger... triggers) {
        return new SequenceRules(reentry, List.of(), List.of(triggers), false);
    }

    private long sentIn(String sequenceId) {
        return engine.channel.deliveries().stream().filter(d -> d.key().sequenceId().equals(sequenceId)).count();
    }

    @Test
    void completing_a_sequence_enrolls_the_subscriber_into_the_next_one() {
        engine.catalog.define(ACCOUNT, "onboarding", sequence(then(ReentryPolicy.NEVER, new Trigger.OnCompleted("nurture")),
                step("one", 0), step("two", 60)));
        engine.catalog.define(ACCOUNT, "nurture", sequence(step("tip", 3600)));
        engine.enrollments.enroll(in("onboarding", "ann"));
        engine.runFor(Duration.ofDays(1));
        Enrollment next = engine.enrollments.get(in("nurture", "ann"));
        assertThat(next.status()).isEqualTo(EnrollmentStatus.COMPLETED);
        assertThat(next.origin().depth()).isEqualTo(1);
        assertThat(next.origin().cause()).contains("onboarding#1:completed");
        assertThat(sentIn("nurture")).isEqualTo(1);
    }

    @Test
    void leaving_for_a_goal_enrolls_into_the_sequence_named_for_that_reason_only() {
        engine.catalog.define(ACCOUNT, "trial", sequence(new SequenceRules(ReentryPolicy.NEVER,
                        List.of(named(EventType.CONVERTED, "purchase")),
                        List.of(new Trigger.OnLeft(Optional.of(LeaveReason.GOAL), "customer"),
                                new Trigger.OnLeft(Optional.of(LeaveReason.UNSUBSCRIBED), "winback")), false),
                step("one", 0), step("two", 86400)));
        engine.catalog.define(ACCOUNT, "customer", sequence(step("welcome", 0)));
        engine.catalog.define(ACCOUNT, "winback", sequence(step("miss-you", 0)));
        engine.enrollments.enroll(in("trial", "ann"));
        engine.enrollments.enroll(in("trial", "bob"));
        engine.handleVisible();
        engine.events.record(ACCOUNT, event("ann", EventType.CONVERTED).name("purchase").build());
        engine.enrollments.leave(in("trial", "bob"));
        engine.runFor(Duration.ofDays(2));
        assertThat(engine.enrollments.get(in("customer", "ann")).status()).isEqualTo(EnrollmentStatus.COMPLETED);
        assertThat(engine.enrollments.get(in("winback", "bob")).status()).isEqualTo(EnrollmentStatus.COMPLETED);
        assertThatThrownBy(() -> engine.enrollments.get(in("winback", "ann"))).isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> engine.enrollments.get(in("customer", "bob"))).isInstanceOf(NotFound.class);
    }

    @Test
    void an_event_trigger_enrolls_only_the_subscriber_who_caused_it_and_only_once() {
        engine.catalog.define(ACCOUNT, "offer", sequence(then(ReentryPolicy.NEVER,
                new Trigger.OnEvent(on(EventType.CLICKED, "pitch"), "interested")), step("pitch", 0), step("later", 86400)));
        engine.catalog.define(ACCOUNT, "interested", sequence(new SequenceRules(ReentryPolicy.ALWAYS, List.of(), List.of(), false),
                step("more", 3600)));
        engine.enrollments.enroll(in("offer", "ann"));
        engine.enrollments.enroll(in("offer", "bob"));
        engine.handleVisible();
        var click = event("ann", EventType.CLICKED).step("offer", "pitch").id("evt-1").build();
        assertThat(engine.events.record(ACCOUNT, click).applied()).isTrue();
        Enrollment first = engine.enrollments.get(in("interested", "ann"));
        assertThat(engine.events.record(ACCOUNT, click).applied()).as("a duplicate, even under re-entry always").isFalse();
        assertThat(engine.enrollments.get(in("interested", "ann"))).isEqualTo(first);
        assertThatThrownBy(() -> engine.enrollments.get(in("interested", "bob"))).isInstanceOf(NotFound.class);
    }

    @Test
    void sequences_that_enroll_each_other_stop_after_the_chain_limit() {
        SequenceRules pingRules = then(ReentryPolicy.ALWAYS, new Trigger.OnCompleted("pong"));
        SequenceRules pongRules = then(ReentryPolicy.ALWAYS, new Trigger.OnCompleted("ping"));
        engine.catalog.define(ACCOUNT, "ping", sequence(pingRules, step("p", 0)));
        engine.catalog.define(ACCOUNT, "pong", sequence(pongRules, step("q", 0)));
        engine.enrollments.enroll(in("ping", "ann"));
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.queue.pending()).isEmpty();
        assertThat(engine.channel.deliveries()).hasSize(Origin.MAX_DEPTH + 1);
    }

    @Test
    void a_crash_after_completion_before_its_trigger_is_healed_by_the_redelivered_tick() {
        engine.catalog.define(ACCOUNT, "first", sequence(then(ReentryPolicy.NEVER, new Trigger.OnCompleted("second")),
                step("only", 0)));
        engine.catalog.define(ACCOUNT, "second", sequence(step("next", 60)));
        engine.enrollments.enroll(in("first", "ann"));
        var tick = engine.queue.takeNextVisible().orElseThrow();
        // The same tick handled by a handler whose trigger enroll dies: the completion is committed, the trigger not.
        // The handler's own profile read, before the send, still passes; every subscriber call after it dies.
        AtomicBoolean read = new java.util.concurrent.atomic.AtomicBoolean();
        SubscriberStore dies = new SubscriberStore() {
            public Optional<Stored<Subscriber>> find(String account, String subscriberId) {
                if (read.compareAndSet(false, true)) {
                    return engine.subscriberStore.find(account, subscriberId);
                }
                throw new IllegalStateException("process died");
            }

            public void create(Subscriber subscriber) {
                throw new IllegalStateException("process died");
            }

            public void replace(Subscriber subscriber, String etag) {
                throw new IllegalStateException("process died");
            }

            public List<Subscriber> page(String account, Optional<String> afterId, int max) {
                throw new IllegalStateException("process died");
            }

            @Override
            public void delete(String account, String subscriberId, String etag) {
                throw new IllegalStateException("process died");
            }
        };
        var handler = engine.builder().stores(engine.sequenceStore, engine.enrollmentStore, dies)
                .backoff(RetryBackoff.DEFAULT).notices(null, null).gate(SendGate.open(ChannelTypes.ALL.rules())).build().ticks();
        assertThatThrownBy(() -> handler.handle(tick)).isInstanceOf(IllegalStateException.class);
        assertThat(engine.enrollments.get(in("first", "ann")).status()).isEqualTo(EnrollmentStatus.COMPLETED);
        assertThatThrownBy(() -> engine.enrollments.get(in("second", "ann"))).isInstanceOf(NotFound.class);
        assertThat(engine.ticks.handle(tick)).isInstanceOf(TickOutcome.Dropped.class);
        assertThat(engine.enrollments.get(in("second", "ann")).isActive()).isTrue();
    }

    /**
     * ann in "first" (then "second" on completion) has had step one and waits a minute for step two, which a new
     * definition of "first" then drops: step two's tick, due now, finds the sequence ending before it.
     */
    private Tick stepTwoOfAShortenedSequence() {
        SequenceRules thenSecond = then(ReentryPolicy.NEVER, new Trigger.OnCompleted("second"));
        engine.catalog.define(ACCOUNT, "first", sequence(thenSecond, step("one", 0), step("two", 60)));
        engine.catalog.define(ACCOUNT, "second", sequence(step("next", 3600)));
        engine.enrollments.enroll(in("first", "ann"));
        engine.handleVisible();
        engine.catalog.define(ACCOUNT, "first", sequence(thenSecond, step("one", 0)));
        engine.clock.advance(Duration.ofMinutes(1));
        return engine.queue.takeNextVisible().orElseThrow();
    }

    @Test
    void a_sequence_shortened_under_a_waiting_step_completes_the_enrollment_and_starts_its_completion_triggers() {
        Tick two = stepTwoOfAShortenedSequence();
        assertThat(engine.ticks.handle(two)).isInstanceOf(TickOutcome.Dropped.class);
        assertThat(engine.enrollments.get(in("first", "ann")).status()).isEqualTo(EnrollmentStatus.COMPLETED);
        assertThat(engine.enrollments.get(in("second", "ann")).isActive()).isTrue();
        assertThat(sentIn("first")).isEqualTo(1);
    }

    @Test
    void a_crash_after_a_shortened_sequence_completed_ann_before_its_trigger_ran_is_healed_by_the_redelivered_tick() {
        Tick two = stepTwoOfAShortenedSequence();
        // A handler whose process dies in the trigger's enroll (its first profile call), once the completion committed.
        SubscriberStore dies = PortInterceptor.around(SubscriberStore.class, engine.subscriberStore,
                (method, args, proceed) -> {
                    throw new IllegalStateException("process died");
                });
        var handler = engine.builder().stores(engine.sequenceStore, engine.enrollmentStore, dies).build().ticks();
        assertThatThrownBy(() -> handler.handle(two)).isInstanceOf(IllegalStateException.class);
        assertThat(engine.enrollments.get(in("first", "ann")).status()).isEqualTo(EnrollmentStatus.COMPLETED);
        assertThatThrownBy(() -> engine.enrollments.get(in("second", "ann"))).isInstanceOf(NotFound.class);

        assertThat(engine.ticks.handle(two)).as("the redelivered tick").isInstanceOf(TickOutcome.Dropped.class);
        assertThat(engine.enrollments.get(in("second", "ann")).isActive()).isTrue();
    }

    @Test
    void reentry_never_refuses_a_second_enrollment_but_a_repeat_while_active_is_harmless() {
        engine.catalog.define(ACCOUNT, "once", sequence(step("one", 0), step("two", 60)));
        EnrollResult first = engine.enrollments.enroll(in("once", "ann"));
        assertThat(engine.enrollments.enroll(in("once", "ann"))).isEqualTo(new EnrollResult(first.enrollment(), false));
        engine.runFor(Duration.ofDays(1));
        assertThatThrownBy(() -> engine.enrollments.enroll(in("once", "ann")))
                .isInstanceOf(Conflict.class).hasMessageContaining("re-entry policy is never");
    }

    @Test
    void reentry_after_completion_allows_a_new_run_once_the_last_one_ended() {
        engine.catalog.define(ACCOUNT, "again", sequence(new SequenceRules(ReentryPolicy.AFTER_COMPLETION, List.of(), List.of(), false),
                step("one", 0), step("two", 60)));
        engine.enrollments.enroll(in("again", "ann"));
        assertThat(engine.enrollments.enroll(in("again", "ann")).created()).as("still active").isFalse();
        engine.runFor(Duration.ofDays(1));
        EnrollResult second = engine.enrollments.enroll(in("again", "ann"));
        assertThat(second.created()).isTrue();
        assertThat(second.enrollment().epoch()).isEqualTo(2);
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.channel.deliveries()).hasSize(4);
    }

    @Test
    void reentry_always_restarts_an_active_enrollment_from_the_first_step() {
        engine.catalog.define(ACCOUNT, "restart", sequence(new SequenceRules(ReentryPolicy.ALWAYS, List.of(), List.of(), false),
                step("one", 0), step("two", 3600)));
        engine.enrollments.enroll(in("restart", "ann"));
        engine.handleVisible();
        EnrollResult again = engine.enrollments.enroll(in("restart", "ann"));
        assertThat(again.created()).isTrue();
        assertThat(again.enrollment().nextStepId()).isEqualTo("one");
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.channel.deliveries()).extracting(Delivery::stepId).containsExactly("one", "one", "two");
    }
}
