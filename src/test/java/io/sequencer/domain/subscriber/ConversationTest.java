package io.sequencer.domain.subscriber;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConversationTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void a_person_taking_over_again_after_handing_back_is_active_again() {
        Conversation handedBack = Conversation.NONE.agentActive(T0).agentEnded(T0.plusSeconds(60));
        assertThat(handedBack.agentActive()).isFalse();
        assertThat(handedBack.agentActive(T0.plusSeconds(120)).agentActive()).isTrue();
    }

    @Test
    void a_later_interaction_moves_the_window_on_and_an_earlier_one_changes_nothing() {
        Conversation interacted = Conversation.NONE.interacted(T0);
        assertThat(interacted.interacted(T0.plusSeconds(60)).lastInteractionAt()).contains(T0.plusSeconds(60));
        assertThat(interacted.interacted(T0.minusSeconds(60)).lastInteractionAt()).contains(T0);
    }
}
