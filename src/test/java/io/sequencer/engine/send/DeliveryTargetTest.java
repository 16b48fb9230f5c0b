package io.sequencer.engine.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.enrollment.EnrollmentKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a delivery tells the receiver about whom it is for: the ids a webhook or an e-mail carries, in a stable order. */
class DeliveryTargetTest {

    @Test
    void a_step_names_its_account_sequence_step_and_subscriber() {
        DeliveryTarget step = new DeliveryTarget.Step(new EnrollmentKey("acme", "welcome", "ann"), "offer");
        assertThat(step.account()).isEqualTo("acme");
        assertThat(step.subscriberId()).isEqualTo("ann");
        assertThat(step.ids()).containsExactly(Map.entry("account", "acme"),
                Map.entry("sequenceId", "welcome"), Map.entry("stepId", "offer"),
                Map.entry("subscriberId", "ann"));
    }

    @Test
    void a_broadcast_names_its_account_broadcast_and_subscriber() {
        DeliveryTarget broadcast = new DeliveryTarget.Broadcast("acme", "friday", "ann");
        assertThat(broadcast.ids()).containsExactly(Map.entry("account", "acme"),
                Map.entry("broadcastId", "friday"), Map.entry("subscriberId", "ann"));
    }
}
