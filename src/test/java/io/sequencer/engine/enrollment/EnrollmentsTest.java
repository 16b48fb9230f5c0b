package io.sequencer.engine.enrollment;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.draft;
import static io.sequencer.engine.EngineFixture.subscriber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.Trigger;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.timer.RetryBackoff;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.EngineFixture;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.Reacting;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.subscriber.SubscriberStore;
import io.sequencer.engine.tick.TickOutcome;
import io.sequencer.engine.timer.TimerQueue;
import io.sequencer.testing.ForwardingEnrollmentStore;
import io.sequencer.testing.PortInterceptor;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EnrollmentsTest {
    private final EngineFixture engine = new EngineFixture();

    @BeforeEach
    void defineSequence() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 60, 3600));
    }

    @Test
    void enrolling_schedules_the_first_step_at_its_delay() {
        EnrollResult result = engine.enrollments.enroll(subscriber("ann"));
        assertThat(result.created()).isTrue();
        assertThat(result.enrollment().status()).isEqualTo(EnrollmentStatus.ACTIVE);
        assertThat(result.enrollment().nextStepId()).isEqualTo("step-1");
        assertThat(result.enrollment().nextDueAt()).isEqualTo(engine.clock.instant());
        assertThat(result.enrollment().epoch()).isEqualTo(1);
        assertThat(engine.queue.pending()).hasSize(1);
    }

    @Test
    void enrolling_twice_is_idempotent() {
        Enrollment first = engine.enrollments.enroll(subscriber("ann")).enrollment();
        engine.clock.advance(Duration.ofSeconds(5));
        EnrollResult again = engine.enrollments.enroll(subscriber("ann"));
        assertThat(again.created()).isFalse();
        assertThat(again.enrollment()).isEqualTo(first);
        assertThat(engine.queue.pending()).hasSize(1);
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.channel.deliveries()).hasSize(3);
    }

    @Test
    void enrolling_into_an_unknown_sequence_is_not_found() {
        assertThatThrownBy(() -> engine.enrollments.enroll(new io.sequencer.domain.enrollment.EnrollmentKey(ACCOUNT, "nope", "ann")))
                .isInstanceOf(NotFound.class);
        assertThat(engine.queue.pending()).isEmpty();
    }

    @Test
    void leave_cancels_pending_steps() {
        engine.enrollments.enroll(subscriber("ann"));
        engine.runFor(Duration.ofSeconds(1));
        assertThat(engine.channel.deliveries()).hasSize(1);
        Enrollment left = engine.enrollments.leave(subscriber("ann"));
        assertThat(left.status()).isEqualTo(EnrollmentStatus.LEFT);
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.channel.deliveries()).hasSize(1);
        assertThat(engine.outcomes).last().isInstanceOf(TickOutcome.Dropped.class);
    }

    @Test
    void leaving_twice_is_harmless_and_leaving_an_unknown_enrollment_is_not_found() {
        engine.enrollments.enroll(subscriber("ann"));
        Enrollment once = engine.enrollments.leave(subscriber("ann"));
        assertThat(engine.enrollments.leave(subscriber("ann"))).isEqualTo(once);
        assertThatThrownBy(() -> engine.enrollments.leave(subscriber("bob"))).isInstanceOf(NotFound.class);
    }

    @Test
    void re_enrolling_after_leaving_starts_a_new_epoch_and_old_ticks_stay_dead() {
        engine.catalog.define(ACCOUNT, SEQUENCE, EngineFixture.reenterable(draft(0, 60, 3600)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.enrollments.leave(subscriber("ann"));
        EnrollResult again = engine.enrollments.enroll(subscriber("ann"));
        assertThat(again.created()).isTrue();
        assertThat(again.enrollment().epoch()).isEqualTo(3);
        engine.runFor(Duration.ofDays(1));
        var ann = subscriber("ann");
        assertThat(engine.channel.deliveries()).as("every step once, under the ids of the current epoch")
                .extracting(Delivery::deliveryId)
                .containsExactly(DeliveryId.of(ann, 3, 0, "step-1"),
                        DeliveryId.of(ann, 3, 1, "step-2"),
                        DeliveryId.of(ann, 3, 2, "step-3"));
        assertThat(engine.outcomes).as("the first epoch's tick woke and was dropped")
                .filteredOn(TickOutcome.Dropped.class::isInstance).hasSize(1);
        assertThat(engine.enrollments.get(ann).status()).isEqualTo(EnrollmentStatus.COMPLETED);
    }

    @Test
    void a_tick_enqueued_by_an_enroll_that_died_before_writing_is_dropped_after_waiting() {
        EnrollmentStore diesOnCreate = new ForwardingEnrollmentStore(engine.enrollmentStore) {
            public void create(Enrollment enrollment) {
                throw new IllegalStateException("process died");
            }
        };
        Enrollments dying = engine.builder()
                .stores(engine.sequenceStore, diesOnCreate, engine.subscriberStore).notices(null, null).build().enrollments();
        assertThatThrownBy(() -> dying.enroll(subscriber("ann"))).isInstanceOf(IllegalStateException.class);
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.channel.deliveries()).isEmpty();
        assertThat(engine.outcomes).last().isInstanceOfSatisfying(TickOutcome.Dropped.class,
                d -> assertThat(d.reason()).startsWith("gave up waiting"));
        assertThat(engine.outcomes).filteredOn(o -> o instanceof TickOutcome.Wait)
                .hasSize(RetryBackoff.MAX_WAITS);
    }

    @Test
    void enrolling_on_the_subscribers_clock_keeps_their_time_zone() {
        EnrollResult result = engine.enrollments.enroll(subscriber("ann"), Optional.of(ZoneId.of("Asia/Tokyo")));
        assertThat(result.created()).isTrue();
        assertThat(result.enrollment().timezone()).contains(ZoneId.of("Asia/Tokyo"));
    }

    @Test
    void under_re_entry_never_a_subscriber_who_left_cannot_be_enrolled_again() {
        engine.enrollments.enroll(subscriber("ann"));
        engine.enrollments.leave(subscriber("ann"));
        assertThatThrownBy(() -> engine.enrollments.enroll(subscriber("ann"))).isInstanceOf(Conflict.class);
        assertThat(engine.enrollments.get(subscriber("ann")).status()).isEqualTo(EnrollmentStatus.LEFT);
    }

    @Test
    void completing_a_sequence_starts_only_what_it_names_for_completion() {
        engine.catalog.define(ACCOUNT, "trial", EngineFixture.withRules(draft(0), new SequenceRules(ReentryPolicy.NEVER,
                List.of(), List.of(new Trigger.OnCompleted("next"), new Trigger.OnLeft(Optional.empty(), "winback"),
                        new Trigger.OnEvent(Reacting.named(EventType.CONVERTED, "purchase"), "customer")), false)));
        engine.catalog.define(ACCOUNT, "next", draft(3600));
        engine.catalog.define(ACCOUNT, "winback", draft(3600));
        engine.catalog.define(ACCOUNT, "customer", draft(3600));
        engine.enrollments.enroll(new EnrollmentKey(ACCOUNT, "trial", "ann"));
        engine.handleVisible();
        assertThat(engine.enrollments.get(new EnrollmentKey(ACCOUNT, "trial", "ann")).status())
                .isEqualTo(EnrollmentStatus.COMPLETED);
        assertThat(engine.enrollments.get(new EnrollmentKey(ACCOUNT, "next", "ann")).isActive()).isTrue();
        assertThatThrownBy(() -> engine.enrollments.get(new EnrollmentKey(ACCOUNT, "winback", "ann"))).isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> engine.enrollments.get(new EnrollmentKey(ACCOUNT, "customer", "ann"))).isInstanceOf(NotFound.class);
    }

    @Test
    void an_opt_out_landing_while_an_ended_enrollment_is_started_again_wins() {
        engine.catalog.define(ACCOUNT, "again", EngineFixture.reenterable(draft(0, 3600)));
        EnrollmentKey key = new EnrollmentKey(ACCOUNT, "again", "ann");
        engine.enrollments.enroll(key);
        engine.enrollments.leave(key);
        AtomicBoolean optOutNext = new AtomicBoolean(true);
        // The opt-out lands after the enroll read the enrollment and the profile, before it writes the enrollment.
        TimerQueue racing = (tick, fireAt) -> {
            if (optOutNext.getAndSet(false)) {
                engine.subscribers.optOut(ACCOUNT, "ann");
            }
            engine.queue.schedule(tick, fireAt);
        };
        Enrollments enrolling = engine.builder().timers(racing).build().enrollments();
        assertThatThrownBy(() -> enrolling.enroll(key)).isInstanceOf(Conflict.class).hasMessageContaining("opted out");
        assertThat(engine.enrollments.get(key).isActive()).isFalse();
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.channel.deliveries()).as("an opted-out subscriber gets nothing").isEmpty();
    }

    /** {@code port} over {@code real}, counting every call. */
    private static <T> T counting(Class<T> port, T real, AtomicInteger calls) {
        return PortInterceptor.around(port, real, (method, args, proceed) -> {
            calls.incrementAndGet();
            return proceed.call();
        });
    }

    @Test
    void a_first_enrollment_of_a_new_subscriber_is_inserted_without_reading_first() {
        var enrollmentCalls = new java.util.concurrent.atomic.AtomicInteger();
        var profileCalls = new java.util.concurrent.atomic.AtomicInteger();
        Enrollments counted = engine.builder().stores(engine.sequenceStore,
                counting(EnrollmentStore.class, engine.enrollmentStore, enrollmentCalls),
                counting(SubscriberStore.class, engine.subscriberStore, profileCalls)).build().enrollments();
        assertThat(counted.enroll(subscriber("ann")).created()).isTrue();
        assertThat(enrollmentCalls).as("the enrollment's insert").hasValue(1);
        assertThat(profileCalls).as("the profile's insert").hasValue(1);
    }

    @Test
    void a_known_subscribers_first_enrollment_in_a_sequence_is_inserted_without_reading_the_enrollment_first() {
        engine.catalog.define(ACCOUNT, "other", draft(3600));
        engine.enrollments.enroll(new EnrollmentKey(ACCOUNT, "other", "ann"));
        var enrollmentCalls = new java.util.concurrent.atomic.AtomicInteger();
        Enrollments counted = engine.builder().stores(engine.sequenceStore,
                counting(EnrollmentStore.class, engine.enrollmentStore, enrollmentCalls), engine.subscriberStore)
                .build().enrollments();
        assertThat(counted.enroll(subscriber("ann")).created()).isTrue();
        assertThat(enrollmentCalls).as("the enrollment's insert").hasValue(1);
    }

    @Test
    void leaving_again_for_the_same_reason_starts_what_the_first_leave_could_not() {
        engine.catalog.define(ACCOUNT, "trial", EngineFixture.withRules(draft(0, 3600), new SequenceRules(ReentryPolicy.NEVER,
                List.of(), List.of(new Trigger.OnLeft(Optional.of(LeaveReason.UNSUBSCRIBED), "winback")), false)));
        EnrollmentKey trial = new EnrollmentKey(ACCOUNT, "trial", "ann");
        engine.enrollments.enroll(trial);
        engine.enrollments.leave(trial); // "winback" is not defined yet: the trigger has nothing to do
        engine.catalog.define(ACCOUNT, "winback", draft(3600));
        engine.enrollments.leave(trial);
        assertThat(engine.enrollments.get(new EnrollmentKey(ACCOUNT, "winback", "ann")).isActive()).isTrue();
    }

    @Test
    void a_subscriber_gone_from_a_destination_leaves_every_sequence_sending_there_and_no_other() {
        Map<String, ChannelConfig> channels = new LinkedHashMap<>();
        channels.put("page", new MessengerConfig("111", "PAGE_TOKEN", "21.0"));
        channels.put("same-page", new MessengerConfig("111", "ANOTHER_TOKEN", "21.0"));
        channels.put("other-page", new MessengerConfig("222", "PAGE_TOKEN", "21.0"));
        channels.put("news", new SendGridConfig("KEY", "news@shop.example", Optional.empty()));
        channels.put("offers", new SendGridConfig("KEY", "offers@shop.example", Optional.empty()));
        channels.put("hook", new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty()));
        channels.put("other-hook", new WebhookConfig(URI.create("https://other.example/hook"), Optional.empty()));
        channels.forEach((id, channel) -> {
            engine.catalog.define(ACCOUNT, id, new SequenceDraft(id, draft(3600).steps(), channel));
            engine.enrollments.enroll(new EnrollmentKey(ACCOUNT, id, "ann"));
        });
        engine.enrollments.leaveDestination(new EnrollmentKey(ACCOUNT, "page", "ann"), channels.get("page"));
        assertThat(leftBlocked(channels.keySet())).containsExactly("page", "same-page");
        engine.enrollments.leaveDestination(new EnrollmentKey(ACCOUNT, "news", "ann"), channels.get("news"));
        assertThat(leftBlocked(channels.keySet())).as("an address that bounces does so for every sender")
                .containsExactly("page", "same-page", "news", "offers");
        engine.enrollments.leaveDestination(new EnrollmentKey(ACCOUNT, "hook", "ann"), channels.get("hook"));
        assertThat(leftBlocked(channels.keySet())).containsExactly("page", "same-page", "news", "offers", "hook");
    }

    private List<String> leftBlocked(Collection<String> sequenceIds) {
        return sequenceIds.stream().filter(id -> engine.enrollments.get(new EnrollmentKey(ACCOUNT, id, "ann")).leaveReason()
                .equals(Optional.of(LeaveReason.BLOCKED))).toList();
    }
}
