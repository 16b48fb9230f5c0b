package io.sequencer.engine;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.subscriber;
import static io.sequencer.engine.Reacting.attribute;
import static io.sequencer.engine.Reacting.branch;
import static io.sequencer.engine.Reacting.endUnless;
import static io.sequencer.engine.Reacting.event;
import static io.sequencer.engine.Reacting.on;
import static io.sequencer.engine.Reacting.onlyIf;
import static io.sequencer.engine.Reacting.previous;
import static io.sequencer.engine.Reacting.previousNot;
import static io.sequencer.engine.Reacting.sequence;
import static io.sequencer.engine.Reacting.step;
import static io.sequencer.engine.Reacting.stepWas;
import static io.sequencer.engine.Reacting.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.Invalid;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.subscriber.AttributeOperator;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Engagement;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.engine.enrollment.EnrollRequest;
import io.sequencer.engine.send.Delivery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Step conditions, branches and waits for events, as the tick applies them when a step falls due. */
class ConditionalStepsTest {
    private final EngineFixture engine = new EngineFixture();

    private List<String> sentTo(String subscriberId) {
        return engine.channel.deliveries().stream().filter(d -> d.key().subscriberId().equals(subscriberId))
                .map(Delivery::stepId).toList();
    }

    private StepRecord recordOf(String subscriberId, String stepId) {
        return engine.enrollments.get(subscriber(subscriberId)).lastRecordOf(stepId).orElseThrow();
    }

    private String deliveryOf(String subscriberId, String stepId) {
        return recordOf(subscriberId, stepId).deliveryId();
    }

    @Test
    void a_step_for_non_clickers_is_sent_only_to_those_who_did_not_click_the_previous_one() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("offer", 0), step("reminder", 3600, onlyIf(previousNot(Engagement.CLICKED)))));
        engine.enrollments.enroll(subscriber("ann"));
        engine.enrollments.enroll(subscriber("bob"));
        engine.handleVisible();
        engine.events.record(ACCOUNT, event("ann", EventType.CLICKED).delivery(deliveryOf("ann", "offer")).build());
        engine.runFor(Duration.ofDays(1));
        assertThat(sentTo("ann")).containsExactly("offer");
        assertThat(sentTo("bob")).containsExactly("offer", "reminder");
        StepRecord skipped = recordOf("ann", "reminder");
        assertThat(skipped.outcome()).isEqualTo(StepOutcome.SKIPPED);
        assertThat(skipped.detail()).isEqualTo("condition not met");
        assertThat(engine.enrollments.get(subscriber("ann")).status()).isEqualTo(EnrollmentStatus.COMPLETED);
    }

    @Test
    void a_step_sent_only_if_the_previous_one_was_read_waits_for_the_read_event() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("hello", 0), step("follow-up", 60, onlyIf(previous(Engagement.READ)))));
        engine.enrollments.enroll(subscriber("ann"));
        engine.enrollments.enroll(subscriber("bob"));
        engine.handleVisible();
        engine.events.record(ACCOUNT, event("bob", EventType.READ).delivery(deliveryOf("bob", "hello")).build());
        engine.runFor(Duration.ofDays(1));
        assertThat(sentTo("ann")).containsExactly("hello");
        assertThat(sentTo("bob")).containsExactly("hello", "follow-up");
    }

    @Test
    void a_click_implies_the_message_was_read_and_delivered() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("hello", 0),
                step("for-readers", 60, onlyIf(stepWas("hello", Engagement.DELIVERED)))));
        engine.enrollments.enroll(subscriber("ann"));
        engine.handleVisible();
        engine.events.record(ACCOUNT, event("ann", EventType.CLICKED).step(SEQUENCE, "hello").build());
        assertThat(recordOf("ann", "hello").engagement())
                .containsExactlyInAnyOrder(Engagement.DELIVERED, Engagement.READ, Engagement.CLICKED);
        engine.runFor(Duration.ofDays(1));
        assertThat(sentTo("ann")).containsExactly("hello", "for-readers");
    }

    @Test
    void a_false_condition_that_says_end_completes_the_sequence_without_the_rest() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("hello", 0),
                step("gate", 60, endUnless(previous(Engagement.CLICKED))), step("never", 60)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.runFor(Duration.ofDays(1));
        assertThat(sentTo("ann")).containsExactly("hello");
        Enrollment done = engine.enrollments.get(subscriber("ann"));
        assertThat(done.status()).isEqualTo(EnrollmentStatus.COMPLETED);
        assertThat(recordOf("ann", "gate").detail()).isEqualTo("condition not met; the sequence ends here");
        assertThat(done.lastRecordOf("never")).isEmpty();
    }

    @Test
    void attribute_conditions_read_the_profile_as_it_is_when_the_step_falls_due() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("hello", 0),
                step("vip-offer", 3600, onlyIf(attribute("tags", AttributeOperator.CONTAINS, "vip")))));
        engine.enrollments.enroll(new EnrollRequest(subscriber("ann"), Optional.empty(),
                Map.of("tags", Optional.of(new AttributeValue.TextList(List.of("new")))), Origin.HOST));
        engine.enrollments.enroll(subscriber("bob"));
        engine.handleVisible();
        engine.subscribers.update(ACCOUNT, "ann", Map.of("tags", Optional.of(new AttributeValue.TextList(List.of("new", "VIP")))),
                Optional.empty());
        engine.runFor(Duration.ofDays(1));
        assertThat(sentTo("ann")).containsExactly("hello", "vip-offer");
        assertThat(sentTo("bob")).containsExactly("hello");
    }

    @Test
    void a_branch_that_holds_jumps_ahead_instead_of_sending_its_step() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("offer", 0),
                step("reminder", 3600, branch(previous(Engagement.CLICKED), "thanks")),
                step("last-chance", 3600), step("thanks", 60)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.enrollments.enroll(subscriber("bob"));
        engine.handleVisible();
        engine.events.record(ACCOUNT, event("ann", EventType.CLICKED).delivery(deliveryOf("ann", "offer")).build());
        engine.runFor(Duration.ofDays(1));
        assertThat(sentTo("ann")).containsExactly("offer", "thanks");
        assertThat(recordOf("ann", "reminder").detail()).isEqualTo("branched to thanks");
        assertThat(sentTo("bob")).containsExactly("offer", "reminder", "last-chance", "thanks");
    }

    @Test
    void a_branch_may_not_jump_back_nor_name_a_missing_step() {
        assertThatThrownBy(() -> sequence(step("a", 0), step("b", 60, branch(previous(Engagement.READ), "a"))))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("steps[1].branches[0].goTo"));
        assertThatThrownBy(() -> sequence(step("a", 0), step("b", 60, branch(previous(Engagement.READ), "zzz"))))
                .isInstanceOf(Invalid.class);
        assertThatThrownBy(() -> sequence(step("a", 0), step("b", 60, onlyIf(stepWas("zzz", Engagement.READ)))))
                .isInstanceOf(Invalid.class);
    }

    @Test
    void a_step_waiting_for_a_click_goes_out_as_soon_as_that_subscriber_clicks() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("offer", 0),
                step("details", 3 * 86400, waitFor(on(EventType.CLICKED, "offer")))));
        engine.enrollments.enroll(subscriber("ann"));
        engine.enrollments.enroll(subscriber("bob"));
        engine.handleVisible();
        engine.clock.advance(Duration.ofHours(2));
        Instant clickedAt = engine.clock.instant();
        engine.events.record(ACCOUNT, event("ann", EventType.CLICKED).delivery(deliveryOf("ann", "offer")).build());
        engine.handleVisible();
        assertThat(sentTo("ann")).containsExactly("offer", "details");
        assertThat(recordOf("ann", "details").at()).isEqualTo(clickedAt);
        assertThat(sentTo("bob")).containsExactly("offer");
        engine.runFor(Duration.ofDays(4));
        assertThat(sentTo("bob")).as("the delay is the latest time").containsExactly("offer", "details");
        assertThat(sentTo("ann")).as("the superseded timer is dropped").containsExactly("offer", "details");
    }

    @Test
    void a_wait_for_an_event_that_already_happened_is_due_at_once() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("offer", 0), step("middle", 60),
                step("details", 86400, waitFor(on(EventType.CLICKED, "offer")))));
        engine.enrollments.enroll(subscriber("ann"));
        engine.handleVisible();
        engine.events.record(ACCOUNT, event("ann", EventType.CLICKED).delivery(deliveryOf("ann", "offer")).build());
        engine.clock.advance(Duration.ofSeconds(60));
        engine.handleVisible();
        assertThat(sentTo("ann")).containsExactly("offer", "middle", "details");
        assertThat(recordOf("ann", "details").at()).as("not a day later").isEqualTo(recordOf("ann", "middle").at());
    }

    @Test
    void a_repeated_release_event_does_not_send_the_step_twice() {
        engine.catalog.define(ACCOUNT, SEQUENCE, sequence(step("offer", 0),
                step("details", 86400, waitFor(on(EventType.CLICKED, "offer"))), step("after", 86400)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.handleVisible();
        var click = event("ann", EventType.CLICKED).delivery(deliveryOf("ann", "offer")).build();
        assertThat(engine.events.record(ACCOUNT, click).applied()).isTrue();
        assertThat(engine.events.record(ACCOUNT, click).applied()).isFalse();
        engine.handleVisible();
        assertThat(engine.events.record(ACCOUNT, click).applied()).isFalse();
        engine.runFor(Duration.ofDays(3));
        assertThat(sentTo("ann")).containsExactly("offer", "details", "after");
    }
}
