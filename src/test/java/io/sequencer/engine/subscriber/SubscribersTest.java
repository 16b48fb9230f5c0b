package io.sequencer.engine.subscriber;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.Reacting.event;
import static io.sequencer.engine.Reacting.sequence;
import static io.sequencer.engine.Reacting.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.Invalid;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.subscriber.Resubscription;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.engine.Conflict;
import io.sequencer.engine.EngineFixture;
import io.sequencer.engine.NotFound;
import io.sequencer.engine.Stored;
import io.sequencer.engine.enrollment.EnrollRequest;
import io.sequencer.engine.event.EventResult;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Subscriber profiles, welcome sequences and the global opt-out. */
class SubscribersTest {
    private static final SequenceRules WELCOME = new SequenceRules(ReentryPolicy.NEVER, List.of(), List.of(), true);
    private final EngineFixture engine = new EngineFixture();

    private static EnrollmentKey in(String sequenceId, String subscriberId) {
        return new EnrollmentKey(ACCOUNT, sequenceId, subscriberId);
    }

    @Test
    void a_new_subscriber_starts_every_active_welcome_sequence_once() {
        engine.catalog.define(ACCOUNT, "welcome", sequence(WELCOME, step("hi", 0)));
        engine.catalog.define(ACCOUNT, "paused-welcome", sequence(WELCOME, step("hi", 0)));
        engine.catalog.pause(ACCOUNT, "paused-welcome");
        engine.catalog.define(ACCOUNT, "other", sequence(step("x", 0)));
        Subscribers.Added added = engine.subscribers.add(ACCOUNT, "ann",
                Map.of("first_name", Optional.of(new AttributeValue.Text("Ann"))), Optional.of(ZoneId.of("Asia/Tokyo")), Optional.empty());
        assertThat(added.created()).isTrue();
        assertThat(added.optOut()).as("never opted out: nothing to say about it").isEqualTo(Subscribers.OptOut.NONE);
        assertThat(added.welcomed()).containsExactly("welcome");
        assertThat(added.subscriber().sequences()).as("the profile as the welcome left it").containsExactly("welcome");
        assertThat(engine.enrollments.get(in("welcome", "ann")).timezone()).contains(ZoneId.of("Asia/Tokyo"));
        Subscribers.Added again = engine.subscribers.add(ACCOUNT, "ann", Map.of(), Optional.empty(), Optional.empty());
        assertThat(again.created()).isFalse();
        assertThat(again.optOut()).isEqualTo(Subscribers.OptOut.NONE);
        assertThat(again.welcomed()).isEmpty();
        engine.events.record(ACCOUNT, event("bob", EventType.SUBSCRIBED).build());
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.channel.deliveries()).extracting(d -> d.key().subscriberId()).containsExactly("ann", "bob");
    }

    @Test
    void enrolling_with_attributes_updates_the_one_profile_every_enrollment_reads() {
        engine.catalog.define(ACCOUNT, "a", sequence(step("x", 0)));
        engine.catalog.define(ACCOUNT, "b", sequence(step("x", 0)));
        engine.enrollments.enroll(new EnrollRequest(in("a", "ann"), Optional.empty(),
                Map.of("locale", Optional.of(new AttributeValue.Text("en_GB"))), Origin.HOST));
        engine.enrollments.enroll(in("b", "ann"));
        Subscriber ann = engine.subscribers.update(ACCOUNT, "ann", Map.of("locale", Optional.empty(),
                "vip", Optional.of(new AttributeValue.Flag(true))), Optional.empty());
        assertThat(ann.sequences()).containsExactly("a", "b");
        assertThat(ann.attributes().values()).containsOnlyKeys("vip");
        assertThatThrownBy(() -> engine.subscribers.update(ACCOUNT, "nobody", Map.of(), Optional.empty()))
                .isInstanceOf(NotFound.class);
    }

    @Test
    void opting_out_ends_every_enrollment_of_the_account_and_nothing_more_is_sent() {
        engine.catalog.define(ACCOUNT, "a", sequence(step("one", 0), step("two", 3600)));
        engine.catalog.define(ACCOUNT, "b", sequence(step("one", 60)));
        engine.catalog.define(ACCOUNT, "c", sequence(step("one", 0)));
        engine.enrollments.enroll(in("a", "ann"));
        engine.enrollments.enroll(in("b", "ann"));
        engine.enrollments.enroll(in("c", "ann"));
        engine.enrollments.enroll(in("a", "bob"));
        engine.handleVisible();
        engine.subscribers.optOut(ACCOUNT, "ann");
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.channel.deliveries()).extracting(d -> d.key().subscriberId() + "/" + d.key().sequenceId() + "/" + d.stepId())
                .containsExactlyInAnyOrder("ann/a/one", "ann/c/one", "bob/a/one", "bob/a/two");
        assertThat(engine.enrollments.get(in("a", "ann")).leaveReason()).contains(LeaveReason.OPTED_OUT);
        assertThat(engine.enrollments.get(in("b", "ann")).leaveReason()).contains(LeaveReason.OPTED_OUT);
        assertThat(engine.enrollments.get(in("c", "ann")).status()).isEqualTo(EnrollmentStatus.COMPLETED);
        assertThatThrownBy(() -> engine.enrollments.enroll(in("b", "ann"))).isInstanceOf(Conflict.class)
                .hasMessageContaining("opted out");
    }

    private static Optional<Resubscription> resubscribedAt(Instant at) {
        return Optional.of(new Resubscription(at, "resubscribedAt"));
    }

    @Test
    void a_repeated_add_or_subscribed_event_after_an_opt_out_leaves_it_in_place() {
        engine.catalog.define(ACCOUNT, "welcome", sequence(WELCOME, step("hi", 3600)));
        engine.subscribers.add(ACCOUNT, "ann", Map.of(), Optional.empty(), Optional.empty());
        engine.subscribers.optOut(ACCOUNT, "ann");
        engine.clock.advance(Duration.ofMinutes(5));

        Subscribers.Added again = engine.subscribers.add(ACCOUNT, "ann",
                Map.of("plan", Optional.of(new AttributeValue.Text("pro"))), Optional.empty(), Optional.empty());
        assertThat(again.optOut()).isEqualTo(Subscribers.OptOut.KEPT);
        assertThat(again.subscriber().optedOut()).isTrue();
        assertThat(again.subscriber().attributes().values()).as("the profile is still kept up to date").containsKey("plan");
        assertThat(again.welcomed()).isEmpty();
        EventResult subscribed = engine.events.record(ACCOUNT, event("ann", EventType.SUBSCRIBED).build());
        assertThat(subscribed.applied()).isFalse();

        assertThat(engine.subscribers.get(ACCOUNT, "ann").optedOut()).isTrue();
        assertThatThrownBy(() -> engine.enrollments.enroll(in("welcome", "ann"))).isInstanceOf(Conflict.class);
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.channel.deliveries()).isEmpty();
    }

    @Test
    void a_late_resubscription_made_before_the_opt_out_does_not_lift_it_and_changes_nothing() {
        engine.catalog.define(ACCOUNT, "a", sequence(step("one", 0)));
        engine.enrollments.enroll(in("a", "ann"));
        Instant askedAgain = engine.clock.instant();
        engine.clock.advance(Duration.ofMinutes(1));
        Subscriber out = engine.subscribers.optOut(ACCOUNT, "ann");
        assertThat(out.optedOutAt()).contains(engine.clock.instant());
        engine.clock.advance(Duration.ofMinutes(1));

        assertThatThrownBy(() -> engine.subscribers.add(ACCOUNT, "ann",
                Map.of("plan", Optional.of(new AttributeValue.Text("pro"))), Optional.empty(), resubscribedAt(askedAgain)))
                .isInstanceOf(Conflict.class).hasMessageContaining("opted out at")
                .satisfies(e -> assertThat(((Conflict) e).field()).contains("resubscribedAt"));
        EventResult late = engine.events.record(ACCOUNT, event("ann", EventType.RESUBSCRIBED).at(askedAgain).build());
        assertThat(late.applied()).isFalse();

        Subscriber ann = engine.subscribers.get(ACCOUNT, "ann");
        assertThat(ann.optedOutAt()).isEqualTo(out.optedOutAt());
        assertThat(ann.attributes().values()).as("a refused re-subscription changes nothing").doesNotContainKey("plan");
        assertThatThrownBy(() -> engine.enrollments.enroll(in("a", "ann"))).isInstanceOf(Conflict.class);
    }

    @Test
    void an_explicit_resubscription_made_after_the_opt_out_lifts_it_and_a_repeat_after_a_newer_opt_out_does_not() {
        engine.catalog.define(ACCOUNT, "a", sequence(step("one", 0)));
        engine.enrollments.enroll(in("a", "ann"));
        engine.subscribers.optOut(ACCOUNT, "ann");
        engine.clock.advance(Duration.ofMinutes(1));
        Instant askedAgain = engine.clock.instant();

        Subscribers.Added back = engine.subscribers.add(ACCOUNT, "ann", Map.of(), Optional.empty(), resubscribedAt(askedAgain));
        assertThat(back.optOut()).isEqualTo(Subscribers.OptOut.LIFTED);
        assertThat(back.subscriber().optedOutAt()).isEmpty();
        assertThat(engine.enrollments.enroll(in("a", "ann")).created())
                .as("an opt-out does not count against re-entry never").isTrue();

        engine.clock.advance(Duration.ofMinutes(1));
        engine.subscribers.optOut(ACCOUNT, "ann");
        engine.clock.advance(Duration.ofMinutes(1));
        // The same re-subscription again (a client's retry, a replayed event): older than the new opt-out.
        assertThatThrownBy(() -> engine.subscribers.add(ACCOUNT, "ann", Map.of(), Optional.empty(),
                resubscribedAt(askedAgain))).isInstanceOf(Conflict.class);
        assertThat(engine.events.record(ACCOUNT, event("ann", EventType.RESUBSCRIBED).at(askedAgain).build()).applied())
                .isFalse();
        assertThat(engine.subscribers.get(ACCOUNT, "ann").optedOut()).isTrue();

        EventResult newer = engine.events.record(ACCOUNT,
                event("ann", EventType.RESUBSCRIBED).at(engine.clock.instant()).build());
        assertThat(newer.applied()).isTrue();
        assertThat(engine.subscribers.get(ACCOUNT, "ann").optedOut()).isFalse();
    }

    @Test
    void a_resubscription_between_two_opt_outs_reported_after_the_second_does_not_lift_it() {
        engine.subscribers.optOut(ACCOUNT, "ann");
        engine.clock.advance(Duration.ofMinutes(1));
        Instant between = engine.clock.instant();
        engine.clock.advance(Duration.ofMinutes(1));
        engine.subscribers.optOut(ACCOUNT, "ann");
        assertThat(engine.events.record(ACCOUNT, event("ann", EventType.RESUBSCRIBED).at(between).build()).applied())
                .isFalse();
        assertThat(engine.subscribers.get(ACCOUNT, "ann").optedOut()).isTrue();
    }

    @Test
    void a_resubscription_dated_in_the_future_is_refused_naming_its_field() {
        engine.subscribers.optOut(ACCOUNT, "ann");
        Instant ahead = engine.clock.instant().plus(Resubscription.MAX_CLOCK_SKEW).plusSeconds(1);
        assertThatThrownBy(() -> engine.subscribers.add(ACCOUNT, "ann", Map.of(), Optional.empty(), resubscribedAt(ahead)))
                .isInstanceOf(Invalid.class).hasMessageContaining("resubscribedAt");
        assertThat(engine.subscribers.get(ACCOUNT, "ann").optedOut()).isTrue();
    }

    @Test
    void an_opt_out_of_an_unknown_subscriber_refuses_their_later_enrollment() {
        engine.catalog.define(ACCOUNT, "a", sequence(step("one", 0)));
        assertThat(engine.subscribers.optOut(ACCOUNT, "zed").optedOut()).isTrue();
        assertThatThrownBy(() -> engine.enrollments.enroll(in("a", "zed"))).isInstanceOf(Conflict.class);
    }

    @Test
    void an_enroll_racing_an_opt_out_between_its_reads_and_its_write_is_ended_or_refused() {
        engine.catalog.define(ACCOUNT, "a", sequence(step("one", 60)));
        engine.enrollments.enroll(in("a", "bob"));
        // The opt-out runs right after the enroll has read the subscriber (found not opted out) and before it
        // writes the enrollment: the opt-out's tombstone makes the enroll's create fail, and its retry sees it.
        boolean[] fired = {false};
        SubscriberStore racing = new SubscriberStore() {
            @Override
            public Optional<Stored<Subscriber>> find(String account, String subscriberId) {
                return engine.subscriberStore.find(account, subscriberId);
            }

            @Override
            public void create(Subscriber subscriber) {
                engine.subscriberStore.create(subscriber);
                if (!fired[0]) {
                    fired[0] = true;
                    engine.subscribers.optOut(ACCOUNT, subscriber.id());
                }
            }

            @Override
            public void replace(Subscriber subscriber, String etag) {
                engine.subscriberStore.replace(subscriber, etag);
            }

            @Override
            public List<Subscriber> page(String account, Optional<String> afterId, int max) {
                return engine.subscriberStore.page(account, afterId, max);
            }

            @Override
            public void delete(String account, String subscriberId, String etag) {
                engine.subscriberStore.delete(account, subscriberId, etag);
            }
        };
        var enrollments = engine.builder()
                .stores(engine.sequenceStore, engine.enrollmentStore, racing).notices(null, null).build().enrollments();
        assertThatThrownBy(() -> enrollments.enroll(in("a", "ann"))).isInstanceOf(Conflict.class);
        Enrollment stored = engine.enrollments.get(in("a", "ann"));
        assertThat(stored.isActive()).isFalse();
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.channel.deliveries()).extracting(d -> d.key().subscriberId()).containsExactly("bob");
    }

    @Test
    void an_unknown_subscriber_is_not_found() {
        assertThatThrownBy(() -> engine.subscribers.get(ACCOUNT, "nobody")).isInstanceOf(NotFound.class);
    }
}
