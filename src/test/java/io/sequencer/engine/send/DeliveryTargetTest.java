package io.sequencer.engine.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.enrollment.EnrollmentKey;
import org.junit.jupiter.api.Test;

/** What a delivery tells the receiver about whom it is for: the ids a webhook or an e-mail carries, in a stable order. */
class DeliveryTargetTest {

    @Test
    void a_step_names_its_account_sequence_step_and_subscriber() {
        DeliveryTarget step = new DeliveryTarget.Step(new EnrollmentKey("acme", "welcome", "ann"), "offer");
        assertThat(step.account()).isEqualTo("acme");
        assertThat(step.subscriberId()).isEqualTo("ann");
        assertThat(step.ids()).containsExactly(java.util.Map.entry("account", "acme"),
                java.util.Map.entry("sequenceId", "welcome"), java.util.Map.entry("stepId", "offer"),
                java.util.Map.entry("subscriberId", "ann"));
    }

    @Test
    void a_broadcast_names_its_account_broadcast_and_subscriber() {
        DeliveryTarget broadcast = new DeliveryTarget.Broadcast("acme", "friday", "ann");
        assertThat(broadcast.ids()).containsExactly(java.util.Map.entry("account", "acme"),
                java.util.Map.entry("broadcastId", "friday"), java.util.Map.entry("subscriberId", "ann"));
    }
}
