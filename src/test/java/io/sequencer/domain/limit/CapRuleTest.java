package io.sequencer.domain.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CapRuleTest {
    private static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    private static FrequencyLimits limits(FrequencyLimits.Over over, FrequencyCap... caps) {
        return new FrequencyLimits("acme", List.of(caps), over, NOW);
    }

    private static FrequencyCap cap(int max, Duration per) {
        return new FrequencyCap(max, per, Optional.empty());
    }

    private static SendLog log(String channel, Instant... at) {
        SendLog log = SendLog.EMPTY;
        for (int i = 0; i < at.length; i++) {
            log = log.with(new SendLog.Entry("d" + i, at[i], channel), Duration.ofDays(31));
        }
        return log;
    }

    @Test
    void a_send_under_every_cap_is_allowed() {
        var verdict = CapRule.judge(limits(FrequencyLimits.Over.HOLD, cap(2, DAY)), log("webhook", NOW.minusSeconds(60)),
                "webhook", "new", NOW);
        assertThat(verdict).isInstanceOf(CapRule.Verdict.Allowed.class);
    }

    @Test
    void a_send_over_a_cap_is_held_until_the_oldest_counted_send_leaves_the_period() {
        Instant first = NOW.minus(Duration.ofHours(20));
        Instant second = NOW.minus(Duration.ofHours(2));
        var verdict = CapRule.judge(limits(FrequencyLimits.Over.HOLD, cap(2, DAY)), log("webhook", first, second),
                "webhook", "new", NOW);
        assertThat(verdict).isEqualTo(new CapRule.Verdict.Hold(first.plus(DAY)));
    }

    @Test
    void with_several_caps_over_the_hold_lasts_until_every_one_allows_the_send() {
        Instant a = NOW.minus(Duration.ofHours(20));
        Instant b = NOW.minus(Duration.ofDays(3));
        var verdict = CapRule.judge(limits(FrequencyLimits.Over.HOLD, cap(1, DAY), cap(2, Duration.ofDays(7))),
                log("webhook", b, a), "webhook", "new", NOW);
        assertThat(verdict).isEqualTo(new CapRule.Verdict.Hold(b.plus(Duration.ofDays(7))));
    }

    @Test
    void a_send_over_a_cap_is_skipped_when_the_account_skips() {
        var verdict = CapRule.judge(limits(FrequencyLimits.Over.SKIP, cap(1, DAY)), log("webhook", NOW.minusSeconds(5)),
                "webhook", "new", NOW);
        assertThat(verdict).isInstanceOf(CapRule.Verdict.Skip.class);
    }

    @Test
    void sends_older_than_the_period_do_not_count_and_one_exactly_a_period_old_has_left_it() {
        var verdict = CapRule.judge(limits(FrequencyLimits.Over.HOLD, cap(1, DAY)), log("webhook", NOW.minus(DAY)),
                "webhook", "new", NOW);
        assertThat(verdict).isInstanceOf(CapRule.Verdict.Allowed.class);
    }

    @Test
    void a_retried_send_already_in_the_log_is_allowed_without_counting_again() {
        SendLog full = log("webhook", NOW.minusSeconds(60), NOW.minusSeconds(30));
        var verdict = CapRule.judge(limits(FrequencyLimits.Over.HOLD, cap(2, DAY)), full, "webhook", "d1", NOW);
        assertThat(verdict).isInstanceOf(CapRule.Verdict.Allowed.class);
    }

    @Test
    void a_channel_cap_counts_and_limits_only_that_channel() {
        var limits = limits(FrequencyLimits.Over.HOLD, new FrequencyCap(1, DAY, Optional.of("messenger")));
        SendLog webhookSends = log("webhook", NOW.minusSeconds(60), NOW.minusSeconds(30));
        assertThat(CapRule.judge(limits, webhookSends, "messenger", "new", NOW)).isInstanceOf(CapRule.Verdict.Allowed.class);
        SendLog messengerSend = log("messenger", NOW.minusSeconds(60));
        assertThat(CapRule.judge(limits, messengerSend, "webhook", "new", NOW)).isInstanceOf(CapRule.Verdict.Allowed.class);
        assertThat(CapRule.judge(limits, messengerSend, "messenger", "new", NOW)).isInstanceOf(CapRule.Verdict.Hold.class);
    }

    @Test
    void the_log_keeps_one_entry_per_delivery_id_and_forgets_what_no_cap_can_count() {
        SendLog log = SendLog.EMPTY.with(new SendLog.Entry("a", NOW.minus(Duration.ofDays(2)), "webhook"), DAY)
                .with(new SendLog.Entry("b", NOW.minusSeconds(10), "webhook"), DAY)
                .with(new SendLog.Entry("b", NOW, "webhook"), DAY);
        assertThat(log.entries()).extracting(SendLog.Entry::deliveryId).containsExactly("b");
        assertThat(log.without("b").entries()).isEmpty();
    }

    @Test
    void caps_refuse_values_outside_their_bounds() {
        assertThatThrownBy(() -> cap(0, DAY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cap(1, Duration.ofSeconds(30))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cap(1, Duration.ofDays(32))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FrequencyLimits("acme", List.of(), FrequencyLimits.Over.HOLD, NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
