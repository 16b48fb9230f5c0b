package io.sequencer.domain.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.enrollment.LeaveReason;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TriggerTest {

    @Test
    void a_leave_trigger_without_a_reason_fires_for_the_subscribers_own_leaves_only() {
        Trigger.OnLeft anyOwn = new Trigger.OnLeft(Optional.empty(), "win-back");

        assertThat(Arrays.stream(LeaveReason.values()).filter(anyOwn::firesFor))
                .containsExactlyInAnyOrder(LeaveReason.UNSUBSCRIBED, LeaveReason.GOAL);
    }

    @Test
    void a_leave_trigger_with_a_reason_fires_for_that_reason_only() {
        Trigger.OnLeft blocked = new Trigger.OnLeft(Optional.of(LeaveReason.BLOCKED), "other-channel");

        assertThat(Arrays.stream(LeaveReason.values()).filter(blocked::firesFor)).containsExactly(LeaveReason.BLOCKED);
    }
}
