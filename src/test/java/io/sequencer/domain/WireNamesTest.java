package io.sequencer.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.broadcast.BroadcastStatus;
import io.sequencer.domain.channel.DeliveryDeferral;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.notification.NoticeType;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.SequenceStatus;
import io.sequencer.domain.subscriber.AttributeOperator;
import io.sequencer.domain.subscriber.Engagement;
import io.sequencer.domain.subscriber.EventType;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The spellings of the domain's enums on the wire (API bodies, stored rows, report columns): they are part of the
 * published contract, so each is pinned here, and each reads back as the value that wrote it.
 */
class WireNamesTest {

    private static <E extends Enum<E>> String[] wireNames(E[] values, Function<E, String> wireName) {
        return Arrays.stream(values).map(wireName).toArray(String[]::new);
    }

    @Test
    void event_types_are_spelt_in_lower_case_and_read_back() {
        assertThat(wireNames(EventType.values(), EventType::wireName)).containsExactly("delivered", "read", "clicked",
                "replied", "interacted", "converted", "subscribed", "resubscribed", "agent_active", "agent_ended", "optin");
        for (EventType type : EventType.values()) {
            assertThat(EventType.fromWireName(type.wireName())).contains(type);
        }
        assertThat(EventType.fromWireName("opened")).isEmpty();
        assertThat(EventType.fromWireName("CLICKED")).as("wire names are case-sensitive").isEmpty();
    }

    @Test
    void attribute_operators_are_spelt_in_lower_case_and_read_back() {
        assertThat(wireNames(AttributeOperator.values(), AttributeOperator::wireName)).containsExactly("is", "is_not",
                "contains", "begins_with", "before", "after", "on", "exists");
        for (AttributeOperator operator : AttributeOperator.values()) {
            assertThat(AttributeOperator.fromWireName(operator.wireName())).contains(operator);
        }
        assertThat(AttributeOperator.fromWireName("equals")).isEmpty();
    }

    @Test
    void delay_anchors_and_reentry_policies_are_spelt_in_lower_case_and_read_back() {
        assertThat(wireNames(Delay.Anchor.values(), Delay.Anchor::wireName)).containsExactly("previous", "enrollment");
        for (Delay.Anchor anchor : Delay.Anchor.values()) {
            assertThat(Delay.Anchor.fromWireName(anchor.wireName())).contains(anchor);
        }
        assertThat(Delay.Anchor.fromWireName("start")).isEmpty();

        assertThat(wireNames(ReentryPolicy.values(), ReentryPolicy::wireName))
                .containsExactly("never", "after_completion", "always");
        for (ReentryPolicy policy : ReentryPolicy.values()) {
            assertThat(ReentryPolicy.fromWireName(policy.wireName())).contains(policy);
        }
        assertThat(ReentryPolicy.fromWireName("sometimes")).isEmpty();
    }

    @Test
    void notice_types_are_the_dotted_names_hosts_subscribe_to() {
        assertThat(wireNames(NoticeType.values(), NoticeType::wireName)).containsExactly("enrollment.started",
                "enrollment.completed", "enrollment.left", "step.sent", "step.failed", "step.skipped");
        for (NoticeType type : NoticeType.values()) {
            assertThat(NoticeType.fromWireName(type.wireName())).contains(type);
        }
        assertThat(NoticeType.fromWireName("step_sent")).isEmpty();
    }

    @Test
    void statuses_shown_by_the_api_are_spelt_in_lower_case() {
        assertThat(wireNames(BroadcastStatus.values(), BroadcastStatus::wireName))
                .containsExactly("scheduled", "sending", "sent", "cancelling", "cancelled");
        assertThat(wireNames(DeliveryDeferral.Cause.values(), DeliveryDeferral.Cause::wireName))
                .containsExactly("circuit_open", "destination_busy");
    }

    @Test
    void stored_states_read_back_from_their_wire_names_and_unknown_names_are_refused() {
        assertThat(wireNames(EnrollmentStatus.values(), EnrollmentStatus::wireName))
                .containsExactly("active", "completed", "left");
        assertThat(wireNames(SequenceStatus.values(), SequenceStatus::wireName))
                .containsExactly("active", "paused", "archived");
        assertThat(wireNames(StepOutcome.values(), StepOutcome::wireName)).containsExactly("sent", "failed", "skipped");
        assertThat(wireNames(LeaveReason.values(), LeaveReason::wireName))
                .containsExactly("unsubscribed", "archived", "goal", "opted_out", "blocked");
        assertThat(wireNames(Engagement.values(), Engagement::wireName))
                .containsExactly("delivered", "read", "clicked", "replied");
        for (EnrollmentStatus status : EnrollmentStatus.values()) {
            assertThat(EnrollmentStatus.fromWireName(status.wireName())).isEqualTo(status);
        }
        for (SequenceStatus status : SequenceStatus.values()) {
            assertThat(SequenceStatus.fromWireName(status.wireName())).isEqualTo(status);
        }
        for (StepOutcome outcome : StepOutcome.values()) {
            assertThat(StepOutcome.fromWireName(outcome.wireName())).isEqualTo(outcome);
        }
        for (LeaveReason reason : LeaveReason.values()) {
            assertThat(LeaveReason.fromWireName(reason.wireName())).isEqualTo(reason);
        }
        for (Engagement signal : Engagement.values()) {
            assertThat(Engagement.fromWireName(signal.wireName())).isEqualTo(signal);
        }
        assertThatThrownBy(() -> EnrollmentStatus.fromWireName("paused")).isInstanceOf(IllegalArgumentException.class);
    }
}
