package io.sequencer.domain.subscriber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.Invalid;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SubscriberEventTest {

    private static SubscriberEvent clicked(Optional<String> sequenceId, Optional<String> stepId, Optional<String> eventId) {
        return new SubscriberEvent("ann", EventType.CLICKED, Optional.empty(), sequenceId, stepId, Optional.empty(),
                Optional.empty(), eventId, Optional.empty());
    }

    @Test
    void the_ids_an_event_names_must_be_valid_ids_and_the_fault_names_the_field() {
        assertThatThrownBy(() -> clicked(Optional.of("bad id"), Optional.empty(), Optional.empty()))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("sequenceId"));
        assertThatThrownBy(() -> clicked(Optional.empty(), Optional.of("bad/id"), Optional.empty()))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("stepId"));
        assertThatThrownBy(() -> clicked(Optional.empty(), Optional.empty(), Optional.of("")))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("eventId"));
    }

    @Test
    void an_event_with_an_id_is_known_by_that_id_alone() {
        SubscriberEvent first = clicked(Optional.of("welcome"), Optional.of("s1"), Optional.of("evt-1"));
        SubscriberEvent repeat = clicked(Optional.of("welcome"), Optional.of("s2"), Optional.of("evt-1"));

        assertThat(first.identity()).isEqualTo("id:evt-1").isEqualTo(repeat.identity());
        assertThat(clicked(Optional.of("welcome"), Optional.of("s1"), Optional.of("evt-2")).identity())
                .isNotEqualTo(first.identity());
        assertThat(clicked(Optional.of("welcome"), Optional.of("s1"), Optional.empty()).identity())
                .isEqualTo("clicked||welcome|s1||");
    }
}
