package io.sequencer.domain.notification;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.enrollment.EnrollmentKey;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutboxTest {
    private static final EnrollmentKey KEY = new EnrollmentKey("acme", "welcome", "ann");
    private static final NoticeDraft SENT = new NoticeDraft(NoticeType.STEP_SENT, Instant.EPOCH, 1, Optional.of("s1"),
            Optional.empty(), Optional.empty());

    @Test
    void events_are_numbered_in_order_with_ids_that_depend_only_on_the_enrollment_and_the_number() {
        Outbox outbox = Outbox.EMPTY.plus(KEY, List.of(SENT, SENT)).plus(KEY, List.of(SENT));
        assertThat(outbox.pending()).extracting(Notice::sequence).containsExactly(1L, 2L, 3L);
        assertThat(outbox.pending().get(1).eventId()).isEqualTo(Notice.eventIdOf(KEY, 2))
                .isNotEqualTo(Notice.eventIdOf(new EnrollmentKey("acme", "welcome", "bob"), 2));
    }

    @Test
    void delivered_events_leave_and_numbering_goes_on() {
        Outbox outbox = Outbox.EMPTY.plus(KEY, List.of(SENT, SENT, SENT)).deliveredUpTo(2);
        assertThat(outbox.pending()).extracting(Notice::sequence).containsExactly(3L);
        assertThat(outbox.plus(KEY, List.of(SENT)).pending()).extracting(Notice::sequence).containsExactly(3L, 4L);
    }

    @Test
    void an_outbox_keeps_the_newest_events_when_it_overflows() {
        Outbox full = Outbox.EMPTY.plus(KEY, Collections.nCopies(Outbox.MAX_PENDING + 5, SENT));
        assertThat(full.pending()).hasSize(Outbox.MAX_PENDING);
        assertThat(full.pending().get(0).sequence()).isEqualTo(6);
        assertThat(full.lastSequence()).isEqualTo(Outbox.MAX_PENDING + 5);
    }

    @Test
    void an_outbox_numbers_from_zero_never_below() {
        assertThat(new Outbox(0, List.of()).isEmpty()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Outbox(-1, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void adding_no_events_leaves_the_outbox_as_it_was() {
        Outbox one = Outbox.EMPTY.plus(KEY, List.of(SENT));
        assertThat(one.isEmpty()).isFalse();
        assertThat(one.plus(KEY, List.of())).isSameAs(one);
        assertThat(one.deliveredUpTo(1).isEmpty()).isTrue();
    }
}
