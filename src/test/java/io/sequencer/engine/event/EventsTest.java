package io.sequencer.engine.event;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.subscriber;
import static io.sequencer.engine.Reacting.event;
import static io.sequencer.engine.Reacting.named;
import static io.sequencer.engine.Reacting.on;
import static io.sequencer.engine.Reacting.onlyIf;
import static io.sequencer.engine.Reacting.previousNot;
import static io.sequencer.engine.Reacting.sequence;
import static io.sequencer.engine.Reacting.step;
import static io.sequencer.engine.Reacting.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.sequence.EventMatch;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.Trigger;
import io.sequencer.domain.subscriber.Engagement;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.subscriber.SubscriberEvent;
import io.sequencer.engine.EngineFixture;
import io.sequencer.engine.send.Delivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Reported events: recorded once, for their subscriber only, driving goals. */
class EventsTest {
    private final EngineFixture engine = new EngineFixture();

    private String deliveryOf(String subscriberId, String stepId) {
        return engine.enrollments.get(subscriber(subscriberId)).lastRecordOf(stepId).orElseThrow().deliveryId();
    }

    private List<String> sentTo(String subscriberId) {
        return engine.channel.deliveries().stream().filter(d -> d.key().subscriberId().equals(subscriberId))
                .map(Delivery::stepId).toList();
    }

    @Test
    void an_event_for_one_subscriber_never_changes_what_another_receives() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("offer", 0),
                step("reminder", 3600, onlyIf(previousNot(Engagement.CLICKED)))));
        List<String> everyone = IntStream.range(0, 200).mapToObj(i -> "sub-" + i).toList();
        everyone.forEach(id -> engine.enrollments.enroll(subscriber(id)));
        engine.handleVisible();
        Set<String> clickers = everyone.stream().filter(id -> id.hashCode() % 3 == 0).collect(Collectors.toSet());
        for (String id : clickers) {
            engine.events.record(ACCOUNT, event(id, EventType.CLICKED).delivery(deliveryOf(id, "offer")).build());
            engine.events.record(ACCOUNT, event(id, EventType.CLICKED).step(SEQUENCE, "offer").build());
        }
        engine.runFor(Duration.ofDays(1));
        for (String id : everyone) {
            assertThat(sentTo(id)).as(id).isEqualTo(clickers.contains(id) ? List.of("offer") : List.of("offer", "reminder"));
            Set<Engagement> engagement = engine.enrollments.get(subscriber(id)).lastRecordOf("offer").orElseThrow().engagement();
            assertThat(engagement.contains(Engagement.CLICKED)).as(id).isEqualTo(clickers.contains(id));
        }
    }

    @Test
    void duplicated_and_reordered_events_leave_the_same_state_as_one_ordered_copy_of_each() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0), step("two", 0), step("three", 0)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.runFor(Duration.ofMinutes(1));
        List<SubscriberEvent> once = List.of(
                event("ann", EventType.DELIVERED).delivery(deliveryOf("ann", "one")).build(),
                event("ann", EventType.READ).delivery(deliveryOf("ann", "one")).build(),
                event("ann", EventType.CLICKED).step(SEQUENCE, "two").build(),
                event("ann", EventType.REPLIED).delivery(deliveryOf("ann", "three")).id("evt-9").build());
        once.forEach(e -> engine.events.record(ACCOUNT, e));
        Enrollment expected = engine.enrollments.get(subscriber("ann"));
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            List<SubscriberEvent> shuffled = new ArrayList<>(once);
            shuffled.addAll(once);
            Collections.shuffle(shuffled, random);
            for (SubscriberEvent e : shuffled) {
                assertThat(engine.events.record(ACCOUNT, e).applied()).as("already applied: %s", e).isFalse();
            }
        }
        assertThat(engine.enrollments.get(subscriber("ann"))).isEqualTo(expected);
        assertThat(engine.enrollments.get(subscriber("ann")).history()).extracting(r -> r.engagement().size())
                .containsExactly(2, 3, 3);
    }

    @Test
    void engagement_reported_while_the_step_is_being_sent_lands_on_its_record() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("offer", 0),
                step("reminder", 3600, onlyIf(previousNot(Engagement.CLICKED)))));
        engine.enrollments.enroll(subscriber("ann"));
        // The host heard of the click before the tick that sends the offer committed its record.
        String inFlight = DeliveryId.of(subscriber("ann"), 1, 0, "offer").value();
        assertThat(engine.events.record(ACCOUNT, event("ann", EventType.CLICKED).delivery(inFlight).build()).applied()).isTrue();
        assertThat(engine.events.record(ACCOUNT, event("ann", EventType.CLICKED).delivery(inFlight).build()).applied()).isFalse();
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.enrollments.get(subscriber("ann")).lastRecordOf("offer").orElseThrow().has(Engagement.CLICKED)).isTrue();
        assertThat(sentTo("ann")).containsExactly("offer");
    }

    @Test
    void engagement_with_a_step_not_yet_due_is_ignored() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("offer", 0), step("later", 3600)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.handleVisible();
        assertThat(engine.events.record(ACCOUNT, event("ann", EventType.CLICKED).step(SEQUENCE, "later").build()).enrollments())
                .isZero();
    }

    @Test
    void a_read_watermark_marks_every_step_sent_up_to_then_as_read() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0), step("two", 60), step("three", 3600)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.runFor(Duration.ofMinutes(2));
        engine.events.record(ACCOUNT, event("ann", EventType.READ).watermark(engine.clock.instant()).build());
        engine.runFor(Duration.ofHours(2));
        assertThat(engine.enrollments.get(subscriber("ann")).history())
                .extracting(r -> r.has(Engagement.READ)).containsExactly(true, true, false);
    }

    @Test
    void a_goal_event_ends_the_enrollment_mid_delay_and_nothing_more_is_sent() {
        SequenceRules rules = new SequenceRules(ReentryPolicy.NEVER, List.of(named(EventType.CONVERTED, "purchase")),
                List.of(), false);
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(rules, step("one", 0), step("two", 7 * 86400), step("three", 60)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.enrollments.enroll(subscriber("bob"));
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.events.record(ACCOUNT, event("ann", EventType.CONVERTED).name("newsletter").build()).applied())
                .as("another goal name").isFalse();
        assertThat(engine.events.record(ACCOUNT, event("ann", EventType.CONVERTED).name("purchase").build()).applied()).isTrue();
        Enrollment ann = engine.enrollments.get(subscriber("ann"));
        assertThat(ann.status()).isEqualTo(EnrollmentStatus.LEFT);
        assertThat(ann.leaveReason()).contains(LeaveReason.GOAL);
        engine.runFor(Duration.ofDays(10));
        assertThat(sentTo("ann")).containsExactly("one");
        assertThat(sentTo("bob")).containsExactly("one", "two", "three");
    }

    @Test
    void a_click_on_a_named_step_can_be_the_goal() {
        SequenceRules rules = new SequenceRules(ReentryPolicy.NEVER, List.of(on(EventType.CLICKED, "two")), List.of(), false);
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(rules, step("one", 0), step("two", 60), step("three", 86400)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.runFor(Duration.ofMinutes(2));
        engine.events.record(ACCOUNT, event("ann", EventType.CLICKED).delivery(deliveryOf("ann", "one")).build());
        assertThat(engine.enrollments.get(subscriber("ann")).isActive()).as("a click on another step").isTrue();
        engine.events.record(ACCOUNT, event("ann", EventType.CLICKED).delivery(deliveryOf("ann", "two")).build());
        assertThat(engine.enrollments.get(subscriber("ann")).leaveReason()).contains(LeaveReason.GOAL);
        engine.runFor(Duration.ofDays(2));
        assertThat(sentTo("ann")).containsExactly("one", "two");
    }

    @Test
    void an_event_from_before_the_enrollment_began_does_not_reach_the_goal() {
        SequenceRules rules = new SequenceRules(ReentryPolicy.NEVER, List.of(named(EventType.CONVERTED, "purchase")),
                List.of(), false);
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(rules, step("one", 0), step("two", 86400)));
        var before = engine.clock.instant().minusSeconds(60);
        engine.enrollments.enroll(subscriber("ann"));
        assertThat(engine.events.record(ACCOUNT, event("ann", EventType.CONVERTED).name("purchase").at(before).build())
                .applied()).isFalse();
        assertThat(engine.enrollments.get(subscriber("ann")).isActive()).isTrue();
    }

    @Test
    void an_event_naming_a_delivery_of_another_life_changes_nothing() {
        engine.catalog.define(ACCOUNT, SEQUENCE, EngineFixture.reenterable(sequence(step("one", 0), step("two", 86400))));
        engine.enrollments.enroll(subscriber("ann"));
        engine.handleVisible();
        String oldDelivery = deliveryOf("ann", "one");
        engine.enrollments.leave(subscriber("ann"));
        engine.enrollments.enroll(subscriber("ann"));
        engine.handleVisible();
        assertThat(engine.events.record(ACCOUNT, event("ann", EventType.CLICKED).delivery(oldDelivery).build()).enrollments())
                .as("no enrollment changed (the click still counts as an interaction with the page)").isZero();
        assertThat(engine.enrollments.get(subscriber("ann")).lastRecordOf("one").orElseThrow().engagement()).isEmpty();
    }

    @Test
    void an_event_without_a_sequence_reaches_every_sequence_of_the_subscriber_and_no_other_account() {
        SequenceRules rules = new SequenceRules(ReentryPolicy.NEVER, List.of(named(EventType.CONVERTED, "purchase")),
                List.of(), false);
        engine.catalog.define(ACCOUNT, "a", sequence(rules, step("one", 86400)));
        engine.catalog.define(ACCOUNT, "b", sequence(rules, step("one", 86400)));
        engine.catalog.define("other", "a", sequence(rules, step("one", 86400)));
        engine.enrollments.enroll(new EnrollmentKey(ACCOUNT, "a", "ann"));
        engine.enrollments.enroll(new EnrollmentKey(ACCOUNT, "b", "ann"));
        engine.enrollments.enroll(new EnrollmentKey("other", "a", "ann"));
        EventResult result = engine.events.record(ACCOUNT, event("ann", EventType.CONVERTED).name("purchase").build());
        assertThat(result.enrollments()).isEqualTo(2);
        assertThat(engine.enrollments.get(new EnrollmentKey(ACCOUNT, "a", "ann")).isActive()).isFalse();
        assertThat(engine.enrollments.get(new EnrollmentKey(ACCOUNT, "b", "ann")).isActive()).isFalse();
        assertThat(engine.enrollments.get(new EnrollmentKey("other", "a", "ann")).isActive()).isTrue();
    }

    @Test
    void an_interaction_alone_is_applied_once_and_its_repeat_changes_nothing() {
        var at = engine.clock.instant().minusSeconds(60);
        EventResult first = engine.events.record(ACCOUNT, event("ann", EventType.INTERACTED).at(at).build());
        assertThat(first.applied()).as("it opens the messaging window").isTrue();
        assertThat(first.enrollments()).isZero();
        assertThat(engine.events.record(ACCOUNT, event("ann", EventType.INTERACTED).at(at).build()).applied())
                .as("the same interaction again").isFalse();
    }

    @Test
    void an_interaction_counts_at_its_own_time_and_one_reported_for_a_time_to_come_counts_as_now() {
        var now = engine.clock.instant();
        engine.events.record(ACCOUNT, event("ann", EventType.INTERACTED).at(now.minusSeconds(3600)).build());
        engine.events.record(ACCOUNT, event("bob", EventType.INTERACTED).at(now.plusSeconds(3600)).build());
        assertThat(engine.subscribers.get(ACCOUNT, "ann").conversation().lastInteractionAt()).contains(now.minusSeconds(3600));
        assertThat(engine.subscribers.get(ACCOUNT, "bob").conversation().lastInteractionAt()).contains(now);
    }

    @Test
    void an_agent_taking_over_and_handing_back_is_recorded_once_each() {
        assertThat(engine.events.record(ACCOUNT, event("ann", EventType.AGENT_ACTIVE).build()).applied()).isTrue();
        assertThat(engine.events.record(ACCOUNT, event("ann", EventType.AGENT_ACTIVE).build()).applied()).isFalse();
        assertThat(engine.subscribers.get(ACCOUNT, "ann").conversation().agentActive()).isTrue();
        engine.clock.advance(Duration.ofMinutes(10));
        EventResult ended = engine.events.record(ACCOUNT, event("ann", EventType.AGENT_ENDED).build());
        assertThat(ended.applied()).isTrue();
        assertThat(ended.enrollments()).isZero();
        assertThat(engine.subscribers.get(ACCOUNT, "ann").conversation().agentActive()).isFalse();
    }

    private static SequenceRules goalThen(EventMatch goal, Trigger... then) {
        return new SequenceRules(ReentryPolicy.NEVER, List.of(goal), List.of(then), false);
    }

    @Test
    void an_event_for_a_sequence_the_subscriber_is_not_in_changes_nothing() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(goalThen(named(EventType.CONVERTED, "purchase")), step("one", 0)));
        EventResult result = engine.events.record(ACCOUNT, event("ann", EventType.CONVERTED).name("purchase").sequence(SEQUENCE).build());
        assertThat(result.applied()).isFalse();
        assertThat(result.enrollments()).isZero();
    }

    @Test
    void a_goal_event_reported_with_its_own_time_counts_when_that_time_is_after_the_enrollment_began() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(goalThen(named(EventType.CONVERTED, "purchase")),
                step("one", 0), step("two", 86400)));
        engine.enrollments.enroll(subscriber("ann"));
        var happened = engine.clock.instant().plusSeconds(30);
        engine.clock.advance(Duration.ofMinutes(5));
        assertThat(engine.events.record(ACCOUNT, event("ann", EventType.CONVERTED).name("purchase").at(happened).build())
                .applied()).isTrue();
        assertThat(engine.enrollments.get(subscriber("ann")).leaveReason()).contains(LeaveReason.GOAL);
    }

    @Test
    void a_click_on_the_goal_step_while_it_is_being_sent_reaches_the_goal() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(goalThen(on(EventType.CLICKED, "offer")),
                step("offer", 0), step("later", 86400)));
        engine.enrollments.enroll(subscriber("ann"));
        String inFlight = DeliveryId.of(subscriber("ann"), 1, 0, "offer").value();
        engine.events.record(ACCOUNT, event("ann", EventType.CLICKED).delivery(inFlight).build());
        assertThat(engine.enrollments.get(subscriber("ann")).leaveReason()).contains(LeaveReason.GOAL);
    }

    @Test
    void engagement_naming_the_step_being_sent_lands_on_its_record_and_one_naming_another_step_is_ignored() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("offer", 0), step("later", 3600)));
        engine.enrollments.enroll(subscriber("ann"));
        assertThat(engine.events.record(ACCOUNT, event("ann", EventType.CLICKED).step(SEQUENCE, "later").build()).applied())
                .as("a step that is not the one being sent").isFalse();
        assertThat(engine.events.record(ACCOUNT, event("ann", EventType.CLICKED).step(SEQUENCE, "offer").build()).applied())
                .isTrue();
        engine.handleVisible();
        assertThat(engine.enrollments.get(subscriber("ann")).lastRecordOf("offer").orElseThrow().has(Engagement.CLICKED)).isTrue();
    }

    @Test
    void a_delivery_of_another_life_is_not_taken_for_the_step_being_sent_now() {
        engine.catalog.define(ACCOUNT, SEQUENCE, EngineFixture.reenterable(sequence(step("one", 0), step("two", 86400))));
        engine.enrollments.enroll(subscriber("ann"));
        engine.handleVisible();
        String oldDelivery = deliveryOf("ann", "one");
        engine.enrollments.leave(subscriber("ann"));
        engine.enrollments.enroll(subscriber("ann")); // its first step is due now, not sent yet
        assertThat(engine.events.record(ACCOUNT, event("ann", EventType.CLICKED).delivery(oldDelivery).build()).enrollments())
                .isZero();
        engine.handleVisible();
        assertThat(engine.enrollments.get(subscriber("ann")).lastRecordOf("one").orElseThrow().engagement()).isEmpty();
    }

    @Test
    void a_repeated_goal_event_changes_nothing_once_what_the_goal_triggers_exists() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(goalThen(named(EventType.CONVERTED, "purchase"),
                new Trigger.OnLeft(Optional.of(LeaveReason.GOAL), "customer")), step("one", 0), step("two", 86400)));
        engine.catalog.define(ACCOUNT, "customer", sequence(step("welcome", 0)));
        engine.enrollments.enroll(subscriber("ann"));
        var purchase = event("ann", EventType.CONVERTED).name("purchase").id("evt-1").build();
        assertThat(engine.events.record(ACCOUNT, purchase).applied()).isTrue();
        assertThat(engine.events.record(ACCOUNT, purchase).applied()).isFalse();
    }

    @Test
    void a_repeated_goal_event_starts_what_the_goal_triggers_when_it_did_not_start_the_first_time() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(goalThen(named(EventType.CONVERTED, "purchase"),
                new Trigger.OnLeft(Optional.of(LeaveReason.GOAL), "customer")), step("one", 0), step("two", 86400)));
        engine.enrollments.enroll(subscriber("ann"));
        var purchase = event("ann", EventType.CONVERTED).name("purchase").id("evt-1").build();
        assertThat(engine.events.record(ACCOUNT, purchase).applied()).isTrue(); // "customer" is not defined yet
        engine.catalog.define(ACCOUNT, "customer", sequence(step("welcome", 0)));
        assertThat(engine.events.record(ACCOUNT, purchase).applied()).isTrue();
        assertThat(engine.enrollments.get(new EnrollmentKey(ACCOUNT, "customer", "ann")).isActive()).isTrue();
    }

    @Test
    void engagement_after_leaving_for_a_goal_is_still_recorded_on_the_sent_step() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(goalThen(named(EventType.CONVERTED, "purchase")),
                step("one", 0), step("two", 86400)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.handleVisible();
        engine.events.record(ACCOUNT, event("ann", EventType.CONVERTED).name("purchase").build());
        assertThat(engine.events.record(ACCOUNT, event("ann", EventType.READ).delivery(deliveryOf("ann", "one")).build())
                .applied()).isTrue();
        assertThat(engine.enrollments.get(subscriber("ann")).lastRecordOf("one").orElseThrow().has(Engagement.READ)).isTrue();
    }

    @Test
    void an_event_that_only_triggers_another_sequence_is_applied() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(new SequenceRules(ReentryPolicy.NEVER, List.of(),
                List.of(new Trigger.OnEvent(named(EventType.CONVERTED, "purchase"), "customer")), false),
                step("one", 0), step("two", 86400)));
        engine.catalog.define(ACCOUNT, "customer", sequence(step("welcome", 0)));
        engine.enrollments.enroll(subscriber("ann"));
        EventResult result = engine.events.record(ACCOUNT, event("ann", EventType.CONVERTED).name("purchase").build());
        assertThat(result.applied()).isTrue();
        assertThat(engine.enrollments.get(new EnrollmentKey(ACCOUNT, "customer", "ann")).isActive()).isTrue();
        assertThat(engine.enrollments.get(subscriber("ann")).isActive()).as("it was no goal").isTrue();
    }

    @Test
    void a_step_waiting_for_a_click_is_not_released_by_another_signal_on_the_same_step() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("offer", 0),
                step("details", 86400, waitFor(on(EventType.CLICKED, "offer")))));
        engine.enrollments.enroll(subscriber("ann"));
        engine.handleVisible();
        engine.events.record(ACCOUNT, event("ann", EventType.READ).delivery(deliveryOf("ann", "offer")).build());
        engine.handleVisible();
        assertThat(sentTo("ann")).containsExactly("offer");
    }

    @Test
    void a_read_watermark_leaves_steps_sent_after_it_unread() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("one", 0), step("two", 60), step("three", 3600)));
        engine.enrollments.enroll(subscriber("ann"));
        var between = engine.clock.instant().plusSeconds(30);
        engine.runFor(Duration.ofMinutes(2));
        engine.events.record(ACCOUNT, event("ann", EventType.READ).watermark(between).build());
        assertThat(engine.enrollments.get(subscriber("ann")).history())
                .extracting(r -> r.has(Engagement.READ)).containsExactly(true, false);
    }
}
