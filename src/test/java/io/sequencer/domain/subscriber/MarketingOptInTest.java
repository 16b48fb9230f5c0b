package io.sequencer.domain.subscriber;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.subscriber.MarketingOptIn.Frequency;
import io.sequencer.domain.subscriber.MarketingOptIn.State;
import io.sequencer.domain.subscriber.MarketingOptIn.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The opt-in kept per subscriber: reports move it forward in time only, and its token is usable only when it may be. */
class MarketingOptInTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String TOKEN = "tok-1";

    private static OptInReport report(Optional<String> token, Status status) {
        return new OptInReport(token, Optional.of(T0.plus(Duration.ofDays(180))), Optional.of(Frequency.DAILY), status);
    }

    private static Conversation optedIn() {
        return Conversation.NONE.optedIn(report(Optional.of(TOKEN), Status.OPTED_IN), T0);
    }

    @Test
    void an_opt_in_gives_a_token_usable_until_it_expires() {
        Conversation c = optedIn();
        assertThat(c.marketingToken(T0)).contains(TOKEN);
        assertThat(c.marketingToken(T0.plus(Duration.ofDays(180)).minusMillis(1))).contains(TOKEN);
        assertThat(c.marketingToken(T0.plus(Duration.ofDays(180)))).isEmpty();
        assertThat(c.marketing().orElseThrow().state(T0.plus(Duration.ofDays(181)))).isEqualTo(State.EXPIRED);
        assertThat(Conversation.NONE.marketingToken(T0)).isEmpty();
    }

    @Test
    void a_stop_without_a_token_stops_the_kept_one_and_a_resume_reopens_it() {
        Conversation stopped = optedIn().optedIn(report(Optional.empty(), Status.STOP_NOTIFICATIONS), T0.plusSeconds(5));
        assertThat(stopped.marketingToken(T0.plusSeconds(6))).isEmpty();
        assertThat(stopped.marketing().orElseThrow().state(T0.plusSeconds(6))).isEqualTo(State.STOPPED);
        Conversation resumed = stopped.optedIn(report(Optional.empty(), Status.RESUME_NOTIFICATIONS), T0.plusSeconds(9));
        assertThat(resumed.marketingToken(T0.plusSeconds(10))).contains(TOKEN);
    }

    @Test
    void a_report_older_than_the_one_kept_changes_nothing() {
        Conversation stopped = optedIn().optedIn(report(Optional.of(TOKEN), Status.STOP_NOTIFICATIONS), T0.plusSeconds(60));
        Conversation late = stopped.optedIn(report(Optional.of(TOKEN), Status.OPTED_IN), T0.plusSeconds(30));
        assertThat(late).isEqualTo(stopped);
        assertThat(Conversation.NONE.optedIn(report(Optional.empty(), Status.STOP_NOTIFICATIONS), T0))
                .isEqualTo(Conversation.NONE);
    }

    @Test
    void a_refusal_marks_only_the_token_refused_and_a_new_token_replaces_it() {
        Conversation refused = optedIn().marketingRefused(TOKEN, "marketing_token_refused: graph error 10");
        assertThat(refused.marketingToken(T0)).isEmpty();
        assertThat(refused.marketing().orElseThrow().state(T0)).isEqualTo(State.REFUSED);
        assertThat(optedIn().marketingRefused("another", "x")).isEqualTo(optedIn());
        Conversation renewed = refused.optedIn(report(Optional.of("tok-2"), Status.OPTED_IN), T0.plusSeconds(1));
        assertThat(renewed.marketingToken(T0.plusSeconds(2))).contains("tok-2");
    }

    @Test
    void other_conversation_changes_keep_the_opt_in_and_no_text_form_shows_the_token() {
        Conversation c = optedIn().interacted(T0.plusSeconds(1)).agentActive(T0.plusSeconds(2)).agentEnded(T0.plusSeconds(3));
        assertThat(c.marketingToken(T0.plusSeconds(4))).contains(TOKEN);
        assertThat(c.toString()).doesNotContain(TOKEN);
        assertThat(report(Optional.of(TOKEN), Status.OPTED_IN).toString()).doesNotContain(TOKEN);
    }
}
