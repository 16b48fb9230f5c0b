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
import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.subscriber.Engagement;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.subscriber.SubscriberEvent;
import io.sequencer.engine.EngineFixture;
import io.sequencer.engine.send.Delivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
        String inFlight = io.sequencer.domain.enrollment.DeliveryId.of(subscriber("ann"), 1, 0, "offer").value();
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
        engine.events.record(ACCOUNT, event("ann", EventType.CONVERTED).name("purchase").at(before).build());
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
}
