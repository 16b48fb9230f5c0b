package io.sequencer.engine;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.Reacting.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.messenger.MessengerRules;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.channel.StepMessaging;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.sequence.StepRules;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.engine.enrollment.EnrollRequest;
import io.sequencer.engine.send.SendBudget;
import io.sequencer.engine.send.SendResult;
import io.sequencer.engine.tick.TickOutcome;
import io.sequencer.testing.Budgets;
import io.sequencer.testing.SteppingClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Messenger's and e-mail's rules on the tick, on a stepping clock: the 24-hour window, the agent hold, budgets. */
class MessagingRulesTest {
    private static final MessengerConfig PAGE = new MessengerConfig("1234", "PAGE_TOKEN", "21.0");
    private final EngineFixture engine = new EngineFixture();

    private static Step step(String id, long delaySeconds, StepMessaging messaging) {
        return new Step(id, Delay.of(delaySeconds, DelayUnit.SECONDS), "{\"text\":\"" + id + "\"}", true, Optional.empty(),
                StepRules.NONE, messaging);
    }

    private void define(String sequenceId, ChannelConfig channel, Step... steps) {
        engine.catalog.define(ACCOUNT, sequenceId, new SequenceDraft("m", List.of(steps), channel, Optional.empty(),
                Optional.empty(), SequenceRules.NONE));
    }

    private EnrollmentKey in(String sequenceId, String subscriberId) {
        return new EnrollmentKey(ACCOUNT, sequenceId, subscriberId);
    }

    private List<String> sent() {
        return engine.channel.deliveries().stream().map(d -> d.key().subscriberId() + "/" + d.stepId()).toList();
    }

    @Test
    void an_untagged_step_due_outside_the_24_hour_window_is_skipped_with_the_reason() {
        define("m", PAGE, step("now", 0, StepMessaging.DEFAULT), step("in-two-days", 2 * 86400, StepMessaging.DEFAULT));
        engine.enrollments.enroll(in("m", "ann"));
        engine.runFor(Duration.ofDays(3));
        assertThat(sent()).containsExactly("ann/now");
        var record = engine.enrollments.get(in("m", "ann")).lastRecordOf("in-two-days").orElseThrow();
        assertThat(record.outcome()).isEqualTo(StepOutcome.SKIPPED);
        assertThat(record.detail()).isEqualTo(MessengerRules.OUTSIDE_WINDOW);
    }

    @Test
    void an_interaction_keeps_the_window_open_and_a_tagged_step_goes_out_regardless() {
        define("m", PAGE, step("now", 0, StepMessaging.DEFAULT), step("day-two", 30 * 3600, StepMessaging.DEFAULT),
                step("update", 3 * 86400, new StepMessaging(Optional.of("ACCOUNT_UPDATE"), false)));
        engine.enrollments.enroll(in("m", "ann"));
        engine.enrollments.enroll(in("m", "bob"));
        engine.handleVisible();
        engine.clock.advance(Duration.ofHours(20));
        engine.events.record(ACCOUNT, event("ann", EventType.INTERACTED).build());
        engine.runFor(Duration.ofDays(5));
        assertThat(sent()).containsExactlyInAnyOrder("ann/now", "bob/now", "ann/day-two", "ann/update", "bob/update");
        assertThat(engine.channel.deliveries()).filteredOn(d -> d.stepId().equals("update"))
                .allSatisfy(d -> assertThat(d.tag()).contains("ACCOUNT_UPDATE"));
    }

    @Test
    void a_step_held_outside_the_window_goes_out_within_the_hour_after_the_subscriber_interacts() {
        define("m", PAGE, step("now", 0, StepMessaging.DEFAULT),
                step("when-back", 2 * 86400, new StepMessaging(Optional.empty(), true)));
        engine.enrollments.enroll(in("m", "ann"));
        engine.runFor(Duration.ofDays(2).plusHours(5));
        assertThat(sent()).containsExactly("ann/now");
        Instant interacted = engine.clock.instant();
        engine.events.record(ACCOUNT, event("ann", EventType.REPLIED).build());
        engine.runFor(Duration.ofHours(2));
        assertThat(sent()).containsExactly("ann/now", "ann/when-back");
        Instant sentAt = engine.enrollments.get(in("m", "ann")).lastRecordOf("when-back").orElseThrow().at();
        assertThat(Duration.between(interacted, sentAt)).isLessThanOrEqualTo(MessengerRules.WINDOW_RECHECK);
    }

    @Test
    void a_held_step_gives_up_after_seven_days_of_silence() {
        define("m", PAGE, step("now", 0, StepMessaging.DEFAULT),
                step("when-back", 2 * 86400, new StepMessaging(Optional.empty(), true)));
        Instant enrolled = engine.clock.instant();
        engine.enrollments.enroll(in("m", "ann"));
        engine.runFor(Duration.ofDays(10));
        var record = engine.enrollments.get(in("m", "ann")).lastRecordOf("when-back").orElseThrow();
        assertThat(record.detail()).isEqualTo(MessengerRules.OUTSIDE_WINDOW);
        assertThat(record.at()).isEqualTo(enrolled.plus(Duration.ofDays(2)).plus(Duration.ofDays(7)));
    }

    @Test
    void steps_wait_while_a_person_talks_with_the_subscriber_and_until_thirty_minutes_after() {
        define("m", PAGE, step("one", 0, StepMessaging.DEFAULT), step("two", 600, StepMessaging.DEFAULT));
        engine.enrollments.enroll(in("m", "ann"));
        engine.handleVisible();
        engine.events.record(ACCOUNT, event("ann", EventType.AGENT_ACTIVE).build());
        engine.runFor(Duration.ofHours(1));
        assertThat(sent()).containsExactly("ann/one");
        Instant ended = engine.clock.instant();
        engine.events.record(ACCOUNT, event("ann", EventType.AGENT_ENDED).build());
        engine.runFor(Duration.ofMinutes(29));
        assertThat(sent()).containsExactly("ann/one");
        engine.runFor(Duration.ofHours(1));
        assertThat(sent()).containsExactly("ann/one", "ann/two");
        Instant sentAt = engine.enrollments.get(in("m", "ann")).lastRecordOf("two").orElseThrow().at();
        assertThat(sentAt).isBetween(ended.plus(Duration.ofMinutes(30)), ended.plus(Duration.ofMinutes(36)));
    }

    @Test
    void a_recipient_who_blocked_the_page_leaves_every_sequence_of_that_page_and_only_those() {
        define("a", PAGE, step("one", 0, StepMessaging.DEFAULT), step("two", 60, StepMessaging.DEFAULT));
        define("b", PAGE, step("one", 3600, StepMessaging.DEFAULT));
        define("other-page", new MessengerConfig("9999", "OTHER_TOKEN", "21.0"), step("one", 3600, StepMessaging.DEFAULT));
        engine.enrollments.enroll(in("a", "ann"));
        engine.enrollments.enroll(in("b", "ann"));
        engine.enrollments.enroll(in("other-page", "ann"));
        engine.channel.thenAnswer(new SendResult.RecipientGone("graph error 551: This person isn't available right now"));
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.enrollments.get(in("a", "ann")).leaveReason()).contains(LeaveReason.BLOCKED);
        assertThat(engine.enrollments.get(in("a", "ann")).lastRecordOf("one").orElseThrow().detail())
                .startsWith("recipient unreachable: graph error 551");
        assertThat(engine.enrollments.get(in("b", "ann")).leaveReason()).contains(LeaveReason.BLOCKED);
        assertThat(sent()).containsExactly("ann/one", "ann/one");
        assertThat(engine.enrollments.get(in("other-page", "ann")).lastRecordOf("one").orElseThrow().outcome())
                .isEqualTo(StepOutcome.SENT);
    }

    @Test
    void an_email_step_goes_to_the_profile_address_and_is_skipped_without_one() {
        define("mail", new SendGridConfig("SENDGRID_KEY", "news@example.com", Optional.empty()),
                new Step("hello", Delay.of(0, DelayUnit.SECONDS), "{\"subject\":\"Hi\",\"text\":\"Hello\"}"));
        engine.enrollments.enroll(new EnrollRequest(in("mail", "ann"), Optional.empty(),
                Map.of("email", Optional.of(new AttributeValue.Text("ann@example.com"))), Origin.HOST));
        engine.enrollments.enroll(in("mail", "bob"));
        engine.enrollments.enroll(new EnrollRequest(in("mail", "cat"), Optional.empty(),
                Map.of("email", Optional.of(new AttributeValue.Number(BigDecimal.TEN))), Origin.HOST));
        engine.enrollments.enroll(new EnrollRequest(in("mail", "dan"), Optional.empty(),
                Map.of("email", Optional.of(new AttributeValue.Text("dan at example.com"))), Origin.HOST));
        engine.runFor(Duration.ofMinutes(1));
        assertThat(engine.channel.deliveries()).singleElement()
                .satisfies(d -> assertThat(d.email()).contains("ann@example.com"));
        for (String withoutAddress : List.of("bob", "cat", "dan")) {
            assertThat(engine.enrollments.get(in("mail", withoutAddress)).lastRecordOf("hello").orElseThrow().detail())
                    .isEqualTo("no_email_address");
        }
    }

    @Test
    void a_burst_over_the_page_budget_is_delayed_not_dropped() {
        SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
        SendBudget budget = Budgets.of(10, 10, 2, clock); // 5 per second for this instance
        List<Duration> waits = new ArrayList<>();
        int allowed = 0;
        for (int i = 0; i < 20; i++) {
            Optional<Duration> wait = budget.take(PAGE);
            if (wait.isEmpty()) {
                allowed++;
            } else {
                waits.add(wait.get());
            }
        }
        assertThat(allowed).as("one second of burst").isEqualTo(5);
        assertThat(waits).hasSize(15).allSatisfy(w -> assertThat(w).isBetween(Duration.ofMillis(200), Duration.ofMillis(1200)));
        clock.advance(Duration.ofSeconds(1));
        assertThat(budget.take(PAGE)).isEmpty();
        assertThat(budget.take(new MessengerConfig("777", "T", "21.0"))).as("another page has its own budget").isEmpty();
        assertThat(SendBudget.UNLIMITED.take(PAGE)).isEmpty();
    }

    @Test
    void over_budget_ticks_are_rescheduled_and_all_delivered_within_the_page_rate() {
        define("m", PAGE, step("one", 0, StepMessaging.DEFAULT));
        int subscribers = 700;
        for (int i = 0; i < subscribers; i++) {
            engine.enrollments.enroll(in("m", "s" + i));
        }
        engine.runFor(Duration.ofMinutes(5));
        assertThat(engine.channel.deliveries()).hasSize(subscribers);
        assertThat(engine.outcomes).filteredOn(o -> o instanceof TickOutcome.Wait).isNotEmpty();
        Map<Long, Long> perSecond = new TreeMap<>();
        for (int i = 0; i < subscribers; i++) {
            Instant at = engine.enrollments.get(in("m", "s" + i)).lastRecordOf("one").orElseThrow().at();
            perSecond.merge(at.getEpochSecond(), 1L, Long::sum);
        }
        assertThat(perSecond.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(300 + 1));
    }
}
