package io.sequencer.engine;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.channel.StepMessaging;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.report.SequenceReport;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.sequence.StepRules;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.engine.enrollment.EnrollRequest;
import io.sequencer.engine.report.Reports;
import io.sequencer.engine.send.SendResult;
import io.sequencer.testing.InMemoryPoisonedTicks;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An opt-out holds at the moment of sending, on every channel, even when it stopped half-way: the profile is
 * marked but some enrollments were never ended (a crash, a timeout, a thousand enrollments ended one by one).
 */
class OptOutAtSendTest {
    /** One sequence per channel; the Messenger steps carry a tag so the 24-hour window does not hold them. */
    static final Map<String, ChannelConfig> CHANNELS = Map.of(
            "hooks", new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty()),
            "chat", new MessengerConfig("1234", "PAGE_TOKEN", "21.0"),
            "mail", new SendGridConfig("SENDGRID_KEY", "news@acme.example", Optional.empty()));
    static final List<String> STEPS = List.of("one", "two", "three");

    private final EngineFixture engine = new EngineFixture();
    private final Reports reports = new Reports(engine.sequenceStore, engine.enrollmentStore, new InMemoryPoisonedTicks(),
            engine.clock);

    /** Three steps an hour apart, the first at once. */
    static SequenceDraft threeSteps(ChannelConfig channel) {
        List<Step> steps = STEPS.stream().map(id -> new Step(id, Delay.of(id.equals("one") ? 0 : 1, DelayUnit.HOURS),
                "{\"text\":\"" + id + "\"}", true, Optional.empty(), StepRules.NONE,
                new StepMessaging(Optional.of("ACCOUNT_UPDATE"), false))).toList();
        return new SequenceDraft("three", steps, channel, Optional.empty(), Optional.empty(), SequenceRules.NONE);
    }

    private static EnrollmentKey in(String sequenceId, String subscriberId) {
        return new EnrollmentKey(ACCOUNT, sequenceId, subscriberId);
    }

    private void enrollInEveryChannel(String subscriberId) {
        for (String sequenceId : CHANNELS.keySet()) {
            engine.enrollments.enroll(new EnrollRequest(in(sequenceId, subscriberId), Optional.empty(),
                    Map.of("email", Optional.of(new AttributeValue.Text(subscriberId + "@example.com"))), Origin.HOST));
        }
    }

    /** What an opt-out that died right after marking the profile leaves behind: the mark, and no enrollment ended. */
    private void markOptedOutOnly(String subscriberId) {
        Stored<Subscriber> stored = engine.subscriberStore.find(ACCOUNT, subscriberId).orElseThrow();
        engine.subscriberStore.replace(stored.value().optingOut(engine.clock.instant()), stored.etag());
    }

    private List<String> sentTo(String subscriberId) {
        return engine.channel.deliveries().stream().filter(d -> d.key().subscriberId().equals(subscriberId))
                .map(d -> d.key().sequenceId() + "/" + d.stepId()).toList();
    }

    @Test
    void an_opt_out_that_stopped_half_way_sends_nothing_more_on_any_channel() {
        CHANNELS.forEach((id, channel) -> engine.catalog.define(ACCOUNT, id, threeSteps(channel)));
        enrollInEveryChannel("ann");
        enrollInEveryChannel("bob");
        engine.handleVisible();
        assertThat(sentTo("ann")).containsExactlyInAnyOrder("hooks/one", "chat/one", "mail/one");

        markOptedOutOnly("ann");
        // The loop ended one enrollment before it died; the other two are still active with a step pending.
        engine.enrollments.endForOptOut(in("hooks", "ann"));
        engine.runFor(Duration.ofDays(1));

        assertThat(sentTo("ann")).as("nothing after the opt-out, on any channel")
                .containsExactlyInAnyOrder("hooks/one", "chat/one", "mail/one");
        assertThat(sentTo("bob")).hasSize(CHANNELS.size() * STEPS.size());
        for (String sequenceId : CHANNELS.keySet()) {
            Enrollment ann = engine.enrollments.get(in(sequenceId, "ann"));
            assertThat(ann.leaveReason()).as(sequenceId).contains(LeaveReason.OPTED_OUT);
            assertThat(ann.history()).as("no step recorded as sent or skipped after the opt-out")
                    .extracting(StepRecord::stepId).containsExactly("one");
            SequenceReport report = reports.sequence(ACCOUNT, sequenceId, Optional.empty(), Optional.empty());
            assertThat(report.enrollments().left()).as(sequenceId).containsEntry(LeaveReason.OPTED_OUT.wireName(), 1L);
            assertThat(report.enrollments().completed()).as("bob").isEqualTo(1);
            assertThat(report.steps()).extracting(SequenceReport.StepFigures::sent).containsExactly(2L, 1L, 1L);
        }
    }

    @Test
    void a_step_waiting_to_retry_a_transient_failure_is_not_sent_again_once_the_subscriber_opted_out() {
        engine.catalog.define(ACCOUNT, "hooks", threeSteps(CHANNELS.get("hooks")));
        engine.channel.thenAnswer(new SendResult.TransientFailure("HTTP 503", null));
        engine.enrollments.enroll(in("hooks", "ann"));
        engine.handleVisible();
        assertThat(engine.channel.deliveries()).hasSize(1);

        markOptedOutOnly("ann");
        engine.runFor(Duration.ofDays(1));

        assertThat(engine.channel.deliveries()).as("the failed first attempt only").hasSize(1);
        Enrollment ann = engine.enrollments.get(in("hooks", "ann"));
        assertThat(ann.leaveReason()).contains(LeaveReason.OPTED_OUT);
        assertThat(ann.history()).isEmpty();
    }
}
