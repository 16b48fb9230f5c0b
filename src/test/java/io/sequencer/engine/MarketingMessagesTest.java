package io.sequencer.engine;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.messenger.MessengerRules;
import io.sequencer.domain.channel.StepMessaging;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.sequence.StepRules;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.subscriber.MarketingOptIn;
import io.sequencer.domain.subscriber.MarketingOptIn.Status;
import io.sequencer.domain.subscriber.OptInReport;
import io.sequencer.domain.subscriber.SubscriberEvent;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Messenger steps with {@code "outsideWindow": "marketing_message"} on the tick, on a stepping clock: inside the
 * standard window they go as usual; outside it to a usable opt-in token, else skipped; a token Graph refused is not
 * tried again.
 */
class MarketingMessagesTest {
    private static final MessengerConfig PAGE = new MessengerConfig("1234", "PAGE_TOKEN", "21.0");
    private static final StepMessaging MARKETING = StepMessaging.of(Optional.empty(), Optional.of("marketing_message"));
    private static final String TOKEN = "optin-token-ann";
    private final EngineFixture engine = new EngineFixture();

    private static Step step(String id, long delaySeconds) {
        return new Step(id, Delay.of(delaySeconds, DelayUnit.SECONDS), "{\"text\":\"" + id + "\"}", true,
                Optional.empty(), StepRules.NONE, MARKETING);
    }

    private void define(Step... steps) {
        engine.catalog.define(ACCOUNT, "m", new SequenceDraft("m", List.of(steps), PAGE, Optional.empty(),
                Optional.empty(), SequenceRules.NONE));
    }

    private static EnrollmentKey ann() {
        return new EnrollmentKey(ACCOUNT, "m", "ann");
    }

    private void optin(Status status, Optional<String> token, Optional<Instant> expiresAt) {
        engine.events.record(ACCOUNT, new SubscriberEvent("ann", EventType.OPTIN, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(engine.clock.instant()), Optional.empty(),
                Optional.empty(), Optional.of(new OptInReport(token, expiresAt,
                Optional.of(MarketingOptIn.Frequency.DAILY), status))));
    }

    private StepRecord record(String stepId) {
        return engine.enrollments.get(ann()).lastRecordOf(stepId).orElseThrow();
    }

    @ParameterizedTest(name = "token {0} -> {1}")
    @CsvSource(textBlock = """
            valid,   sent
            expired, skipped
            stopped, skipped
            missing, skipped
            resumed, sent
            """)
    void outside_the_window_a_marketing_step_goes_to_a_usable_token_only(String token, String expected) {
        define(step("now", 0), step("in-two-days", 2 * 86400));
        Instant twoDaysOn = engine.clock.instant().plus(Duration.ofDays(2));
        switch (token) {
            case "valid" -> optin(Status.OPTED_IN, Optional.of(TOKEN), Optional.of(twoDaysOn.plus(Duration.ofDays(180))));
            case "expired" -> optin(Status.OPTED_IN, Optional.of(TOKEN), Optional.of(twoDaysOn.minusSeconds(60)));
            case "stopped" -> {
                optin(Status.OPTED_IN, Optional.of(TOKEN), Optional.empty());
                engine.clock.advance(Duration.ofSeconds(1));
                optin(Status.STOP_NOTIFICATIONS, Optional.empty(), Optional.empty());
            }
            case "resumed" -> {
                optin(Status.OPTED_IN, Optional.of(TOKEN), Optional.empty());
                engine.clock.advance(Duration.ofSeconds(1));
                optin(Status.STOP_NOTIFICATIONS, Optional.of(TOKEN), Optional.empty());
                engine.clock.advance(Duration.ofSeconds(1));
                optin(Status.RESUME_NOTIFICATIONS, Optional.of(TOKEN), Optional.empty());
            }
            default -> { }
        }
        engine.enrollments.enroll(ann());
        engine.runFor(Duration.ofDays(3));

        List<Delivery> deliveries = engine.channel.deliveries();
        // Inside the window the first step goes to the subscriber as any step does.
        assertThat(deliveries.get(0).stepId()).isEqualTo("now");
        assertThat(deliveries.get(0).marketingToken()).isEmpty();
        if (expected.equals("sent")) {
            assertThat(deliveries).hasSize(2);
            assertThat(deliveries.get(1).marketingToken()).contains(TOKEN);
            assertThat(deliveries.get(1).tag()).isEmpty();
            assertThat(record("in-two-days").outcome()).isEqualTo(StepOutcome.SENT);
        } else {
            assertThat(deliveries).hasSize(1);
            assertThat(record("in-two-days").outcome()).isEqualTo(StepOutcome.SKIPPED);
            assertThat(record("in-two-days").detail()).isEqualTo(MessengerRules.NO_MARKETING_TOKEN);
        }
    }

    @Test
    void inside_the_window_a_marketing_step_goes_to_the_subscriber_not_the_token() {
        define(step("now", 0), step("later-today", 3600));
        optin(Status.OPTED_IN, Optional.of(TOKEN), Optional.empty());
        engine.enrollments.enroll(ann());
        engine.runFor(Duration.ofHours(2));
        assertThat(engine.channel.deliveries()).hasSize(2)
                .allSatisfy(d -> assertThat(d.marketingToken()).isEmpty());
    }

    @Test
    void a_late_report_older_than_the_stop_does_not_reopen_the_token() {
        define(step("now", 0), step("in-two-days", 2 * 86400));
        Instant optedIn = engine.clock.instant();
        optin(Status.OPTED_IN, Optional.of(TOKEN), Optional.empty());
        engine.clock.advance(Duration.ofMinutes(5));
        optin(Status.STOP_NOTIFICATIONS, Optional.empty(), Optional.empty());
        // The opt-in reported again, late, with its original time.
        engine.events.record(ACCOUNT, new SubscriberEvent("ann", EventType.OPTIN, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(optedIn), Optional.empty(), Optional.empty(),
                Optional.of(new OptInReport(Optional.of(TOKEN), Optional.empty(), Optional.empty(), Status.OPTED_IN))));
        engine.enrollments.enroll(ann());
        engine.runFor(Duration.ofDays(3));
        assertThat(record("in-two-days").detail()).isEqualTo(MessengerRules.NO_MARKETING_TOKEN);
    }

    @Test
    void a_token_graph_refused_is_marked_unusable_and_later_steps_skip_without_sending() {
        define(step("now", 0), step("day-two", 2 * 86400), step("day-four", 2 * 86400));
        optin(Status.OPTED_IN, Optional.of(TOKEN), Optional.empty());
        engine.channel.thenAnswer(new SendResult.Sent("ok"),
                new SendResult.PermanentFailure("marketing_token_refused: graph error 10 (HTTP 400)", true));
        engine.enrollments.enroll(ann());
        engine.runFor(Duration.ofDays(5));

        assertThat(engine.channel.deliveries()).hasSize(2);
        assertThat(record("day-two").outcome()).isEqualTo(StepOutcome.FAILED);
        assertThat(record("day-two").detail()).startsWith("marketing_token_refused");
        assertThat(record("day-four").outcome()).isEqualTo(StepOutcome.SKIPPED);
        assertThat(record("day-four").detail()).isEqualTo(MessengerRules.NO_MARKETING_TOKEN);
        MarketingOptIn kept = engine.subscriberStore.find(ACCOUNT, "ann").orElseThrow().value().conversation()
                .marketing().orElseThrow();
        assertThat(kept.state(engine.clock.instant())).isEqualTo(MarketingOptIn.State.REFUSED);
        assertThat(kept.toString()).doesNotContain(TOKEN);
    }

    @Test
    void a_new_opt_in_after_a_refusal_makes_marketing_messages_go_again() {
        define(step("now", 0), step("day-two", 2 * 86400), step("day-four", 2 * 86400));
        optin(Status.OPTED_IN, Optional.of(TOKEN), Optional.empty());
        engine.channel.thenAnswer(new SendResult.Sent("ok"),
                new SendResult.PermanentFailure("marketing_token_refused: graph error 10 (HTTP 400)", true),
                new SendResult.Sent("ok"));
        engine.enrollments.enroll(ann());
        engine.runFor(Duration.ofDays(3));
        optin(Status.OPTED_IN, Optional.of("optin-token-ann-2"), Optional.empty());
        engine.runFor(Duration.ofDays(3));

        assertThat(engine.channel.deliveries()).hasSize(3);
        assertThat(engine.channel.deliveries().get(2).marketingToken()).contains("optin-token-ann-2");
        assertThat(record("day-four").outcome()).isEqualTo(StepOutcome.SENT);
    }
}
