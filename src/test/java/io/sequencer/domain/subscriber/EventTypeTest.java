package io.sequencer.domain.subscriber;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventTypeTest {

    @Test
    void only_the_subscriber_acting_opens_the_messaging_window() {
        assertThat(Arrays.stream(EventType.values()).filter(EventType::opensMessagingWindow))
                .containsExactlyInAnyOrder(EventType.CLICKED, EventType.REPLIED, EventType.INTERACTED);
    }

    @Test
    void subscription_conversation_hand_overs_and_opt_ins_are_about_the_subscriber_alone() {
        assertThat(Arrays.stream(EventType.values()).filter(EventType::isSubscriberLevel)).containsExactlyInAnyOrder(
                EventType.SUBSCRIBED, EventType.RESUBSCRIBED, EventType.AGENT_ACTIVE, EventType.AGENT_ENDED,
                EventType.OPTIN);
    }

    @Test
    void the_four_step_level_kinds_record_their_engagement() {
        for (EventType type : EventType.values()) {
            assertThat(type.engagement().map(Engagement::name))
                    .as(type.name())
                    .isEqualTo(type.ordinal() < 4 ? Optional.of(type.name()) : Optional.empty());
        }
    }
}
