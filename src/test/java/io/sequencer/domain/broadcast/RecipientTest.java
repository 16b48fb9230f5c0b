package io.sequencer.domain.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.subscriber.Engagement;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecipientTest {
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private static final Recipient PENDING = Recipient.pending("acme", "friday", "ann", T0);

    @Test
    void a_new_recipient_counts_as_audience_and_its_first_outcome_once() {
        assertThat(PENDING.tallyChange(Optional.empty()).counts()).isEqualTo(Map.of("audience", 1L));
        Recipient claimed = PENDING.claim(T0.plusSeconds(120));
        assertThat(claimed.tallyChange(Optional.of(PENDING)).isEmpty()).isTrue();
        Recipient sent = claimed.settle(Recipient.State.SENT, "200", 1, T0);
        assertThat(sent.tallyChange(Optional.of(claimed)).counts()).isEqualTo(Map.of("sent", 1L));
        assertThat(sent.tallyChange(Optional.of(sent)).isEmpty()).isTrue();
        assertThat(sent.attempts()).isEqualTo(1);
    }

    @Test
    void failures_count_by_class_and_skips_by_reason() {
        Recipient claimed = PENDING.claim(T0);
        assertThat(claimed.settle(Recipient.State.FAILED, "HTTP 400", 1, T0).tallyChange(Optional.of(claimed)).counts())
                .isEqualTo(Map.of("failed|permanent", 1L));
        assertThat(claimed.settle(Recipient.State.FAILED, StepRecord.GAVE_UP + "8 attempts: 503", 1, T0)
                .tallyChange(Optional.of(claimed)).counts()).isEqualTo(Map.of("failed|transient", 1L));
        assertThat(claimed.settle(Recipient.State.FAILED, StepRecord.UNREACHABLE + "blocked", 1, T0)
                .tallyChange(Optional.of(claimed)).counts()).isEqualTo(Map.of("failed|recipient_gone", 1L));
        assertThat(claimed.settle(Recipient.State.SKIPPED, Recipient.OPTED_OUT, 0, T0).tallyChange(Optional.of(claimed))
                .counts()).isEqualTo(Map.of("skipped|opted_out", 1L));
        assertThatThrownBy(() -> claimed.settle(Recipient.State.PENDING, "x", 0, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void engagement_counts_each_new_signal_with_what_it_implies_once() {
        Recipient sent = PENDING.claim(T0).settle(Recipient.State.SENT, "200", 1, T0);
        Recipient clicked = sent.engaged(Engagement.CLICKED);
        assertThat(clicked.tallyChange(Optional.of(sent)).counts())
                .isEqualTo(Map.of("delivered", 1L, "read", 1L, "clicked", 1L));
        assertThat(clicked.engaged(Engagement.READ)).isSameAs(clicked);
        assertThat(clicked.engaged(Engagement.REPLIED).tallyChange(Optional.of(clicked)).counts())
                .isEqualTo(Map.of("replied", 1L));
    }

    @Test
    void a_claim_holds_until_its_end_and_a_release_counts_the_attempt() {
        Recipient claimed = PENDING.claim(T0.plusSeconds(120));
        assertThat(claimed.claimedAt(T0.plusSeconds(119))).isTrue();
        assertThat(claimed.claimedAt(T0.plusSeconds(120))).isFalse();
        Recipient released = claimed.release(1, Optional.of("503"));
        assertThat(released.state()).isEqualTo(Recipient.State.PENDING);
        assertThat(released.attempts()).isEqualTo(1);
        assertThat(released.claimedAt(T0)).isFalse();
        assertThat(PENDING.deliveryId()).isEqualTo(DeliveryId.ofBroadcast("acme", "friday", "ann"))
                .isNotEqualTo(DeliveryId.ofBroadcast("acme", "friday", "bob"));
    }
}
