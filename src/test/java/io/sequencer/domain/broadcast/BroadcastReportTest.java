package io.sequencer.domain.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.report.Tally;
import io.sequencer.domain.subscriber.Engagement;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a broadcast achieved, read off its tally. */
class BroadcastReportTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private static Broadcast broadcast(int listed) {
        return Broadcast.schedule("acme", "spring", new BroadcastTime.At(NOW.plusSeconds(3600)),
                new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty()), "{}",
                Optional.empty(), new Audience(listed, "digest", false, Optional.empty()), NOW);
    }

    @Test
    void failures_and_skips_are_given_by_reason_and_in_total_and_the_rest_is_unsettled() {
        Tally tally = new Tally(Map.of("audience", 10L, "sent", 4L, "failed|transient", 1L, "failed|permanent", 1L,
                "skipped|opted_out", 2L));

        BroadcastReport report = BroadcastReport.of(broadcast(10), tally, NOW);

        assertThat(report.failed()).containsOnly(Map.entry("permanent", 1L), Map.entry("transient", 1L));
        assertThat(report.failedTotal()).isEqualTo(2);
        assertThat(report.skipped()).containsOnly(Map.entry("opted_out", 2L));
        assertThat(report.skippedTotal()).isEqualTo(2);
        assertThat(report.unsettled()).isEqualTo(2);
    }

    @Test
    void engagement_rates_are_shares_of_the_sends_and_absent_before_anything_was_sent() {
        Tally tally = new Tally(Map.of("audience", 4L, "sent", 4L, "delivered", 4L, "read", 1L));

        BroadcastReport report = BroadcastReport.of(broadcast(4), tally, NOW);

        assertThat(report.rateOf(Engagement.DELIVERED)).contains(1.0);
        assertThat(report.rateOf(Engagement.READ)).contains(0.25);
        assertThat(report.rateOf(Engagement.CLICKED)).contains(0.0);
        assertThat(BroadcastReport.of(broadcast(4), new Tally(Map.of("audience", 4L)), NOW).rateOf(Engagement.READ))
                .isEmpty();
    }

    @Test
    void rates_are_rounded_to_four_decimals_as_in_the_sequence_report() {
        Tally tally = new Tally(Map.of("audience", 3L, "sent", 3L, "delivered", 2L, "read", 1L));

        BroadcastReport report = BroadcastReport.of(broadcast(3), tally, NOW);

        assertThat(report.rateOf(Engagement.READ)).contains(0.3333);
        assertThat(report.rateOf(Engagement.DELIVERED)).contains(0.6667);
    }

    @Test
    void listed_subscribers_are_stored_in_pages_of_five_hundred() {
        assertThat(broadcast(1).listedPages()).isEqualTo(1);
        assertThat(broadcast(Broadcast.LISTED_PAGE).listedPages()).isEqualTo(1);
        assertThat(broadcast(Broadcast.LISTED_PAGE + 1).listedPages()).isEqualTo(2);
    }
}
