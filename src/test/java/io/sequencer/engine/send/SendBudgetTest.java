package io.sequencer.engine.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.testing.Budgets;
import io.sequencer.testing.SteppingClock;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The per-destination send budget: a second's burst at the platform's rate, then a wait about a token long. */
class SendBudgetTest {
    private static final ChannelConfig PAGE = new MessengerConfig("1234", "PAGE_TOKEN", "21.0");
    private static final ChannelConfig SENDER = new SendGridConfig("SG_KEY", "news@example.com", Optional.empty());
    private static final ChannelConfig HOOK = new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty());

    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");

    /** How many sends may go now, taking the budget, up to {@code limit}. */
    private static int goingNow(SendBudget budget, ChannelConfig channel, int limit) {
        int went = 0;
        while (went < limit && budget.take(channel).isEmpty()) {
            went++;
        }
        return went;
    }

    @Test
    void a_messenger_page_and_a_sendgrid_sender_each_get_their_own_platforms_rate() {
        SendBudget budget = Budgets.of(2, 10, 1, clock);
        assertThat(goingNow(budget, PAGE, 100)).isEqualTo(2);
        assertThat(goingNow(budget, SENDER, 100)).isEqualTo(10);
    }

    @Test
    void each_instance_gets_the_rate_divided_by_the_most_instances_there_may_be() {
        SendBudget budget = Budgets.of(20, 40, 4, clock);
        assertThat(goingNow(budget, PAGE, 100)).isEqualTo(5);
        assertThat(goingNow(budget, SENDER, 100)).isEqualTo(10);
    }

    @Test
    void over_budget_the_send_waits_about_as_long_as_the_next_token_takes_spread_by_up_to_a_second() {
        SendBudget budget = Budgets.of(4, 4, 1, clock);
        goingNow(budget, PAGE, 4);
        Duration wait = budget.take(PAGE).orElseThrow();
        assertThat(wait).isBetween(Duration.ofMillis(250), Duration.ofMillis(1250));
    }

    @Test
    void a_part_refilled_token_shortens_the_wait_to_what_is_still_missing_of_it() {
        // One call per ten seconds (a page's rate shared by ten instances): a token takes ten seconds to refill.
        SendBudget budget = Budgets.of(1, 1, 10, clock);
        goingNow(budget, PAGE, 1);
        clock.advance(Duration.ofSeconds(4)); // four tenths of the next token are back
        Duration wait = budget.take(PAGE).orElseThrow();
        assertThat(wait).as("six seconds still missing, spread by up to a second")
                .isBetween(Duration.ofSeconds(6), Duration.ofSeconds(7));
    }

    @Test
    void the_budget_refills_at_the_rate_as_time_passes_and_never_beyond_one_seconds_burst() {
        SendBudget budget = Budgets.of(4, 4, 1, clock);
        goingNow(budget, PAGE, 4);
        clock.advance(Duration.ofMillis(500));
        assertThat(goingNow(budget, PAGE, 100)).isEqualTo(2);
        clock.advance(Duration.ofMinutes(5));
        assertThat(goingNow(budget, PAGE, 100)).isEqualTo(4);
    }

    @Test
    void a_rate_of_zero_and_no_instance_are_refused_at_start() {
        assertThatThrownBy(() -> Budgets.of(0, 10, 1, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Budgets.of(10, 0, 1, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Budgets.of(10, 10, 0, clock)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void webhooks_and_unlimited_setups_never_wait() {
        assertThat(goingNow(Budgets.of(1, 1, 1, clock), HOOK, 50)).isEqualTo(50);
        assertThat(goingNow(SendBudget.UNLIMITED, PAGE, 50)).isEqualTo(50);
    }
}
