package io.sequencer.reliability;

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
import io.sequencer.engine.Stored;
import io.sequencer.engine.enrollment.EnrollRequest;
import io.sequencer.testing.AzureEngineRig;
import io.sequencer.testing.Azurite;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On the real Table and Queue adapters (Azurite): an opt-out that stopped after marking the profile, with
 * enrollments on every channel still active, lets no further step out.
 */
class OptOutOnStorageTest {
    private static final String ACCOUNT = "optout";
    private static final Map<String, ChannelConfig> CHANNELS = Map.of(
            "hooks", new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty()),
            "chat", new MessengerConfig("1234", "PAGE_TOKEN", "21.0"),
            "mail", new SendGridConfig("SENDGRID_KEY", "news@acme.example", Optional.empty()));

    private AzureEngineRig rig;

    @BeforeEach
    void rig() {
        rig = new AzureEngineRig(Azurite.shared().clients(), 2);
    }

    @AfterEach
    void close() {
        rig.close();
    }

    /** Step one at once, two 5 s later (time enough to mark the profile in between), three 1 s after that. */
    private static SequenceDraft threeSteps(ChannelConfig channel) {
        List<Step> steps = List.of(step("one", 0), step("two", 5), step("three", 1));
        return new SequenceDraft("three", steps, channel, Optional.empty(), Optional.empty(), SequenceRules.NONE);
    }

    private static Step step(String id, long delaySeconds) {
        // Tagged, so the Messenger steps go out whatever the 24-hour window says.
        return new Step(id, Delay.of(delaySeconds, DelayUnit.SECONDS), "{\"text\":\"" + id + "\"}", true,
                Optional.empty(), StepRules.NONE, new StepMessaging(Optional.of("ACCOUNT_UPDATE"), false));
    }

    private static EnrollmentKey in(String sequenceId, String subscriberId) {
        return new EnrollmentKey(ACCOUNT, sequenceId, subscriberId);
    }

    private List<String> sentTo(String subscriberId) {
        return rig.channel.deliveries().stream().filter(d -> d.key().subscriberId().equals(subscriberId))
                .map(d -> d.key().sequenceId() + "/" + d.stepId()).toList();
    }

    @Test
    void an_opt_out_that_stopped_after_marking_the_profile_sends_nothing_more_on_any_channel() {
        CHANNELS.forEach((id, channel) -> rig.catalog.define(ACCOUNT, id, threeSteps(channel)));
        for (String subscriberId : List.of("ann", "bob")) {
            for (String sequenceId : CHANNELS.keySet()) {
                rig.enrollments.enroll(new EnrollRequest(in(sequenceId, subscriberId), Optional.empty(),
                        Map.of("email", Optional.of(new AttributeValue.Text(subscriberId + "@example.com"))), Origin.HOST));
            }
        }
        Instant giveUp = Instant.now().plusSeconds(30);
        while (sentTo("ann").size() < CHANNELS.size() && Instant.now().isBefore(giveUp)) {
            rig.drain(Duration.ofMillis(500));
        }
        List<String> beforeOptOut = sentTo("ann");
        assertThat(beforeOptOut).containsExactlyInAnyOrder("hooks/one", "chat/one", "mail/one");

        // The opt-out's mark, written directly: the loop that ends each enrollment died after the first one.
        Stored<Subscriber> ann = rig.subscriberStore.find(ACCOUNT, "ann").orElseThrow();
        rig.subscriberStore.replace(ann.value().optingOut(Instant.now()), ann.etag());
        rig.enrollments.leave(in("hooks", "ann"), LeaveReason.OPTED_OUT);
        assertThat(rig.drain(Duration.ofSeconds(60)).empty()).isTrue();

        assertThat(sentTo("ann")).as("nothing after the opt-out, on any channel").isEqualTo(beforeOptOut);
        assertThat(sentTo("bob")).hasSize(CHANNELS.size() * 3);
        for (String sequenceId : CHANNELS.keySet()) {
            Enrollment left = rig.enrollment(in(sequenceId, "ann"));
            assertThat(left.leaveReason()).as(sequenceId).contains(LeaveReason.OPTED_OUT);
            assertThat(left.history()).extracting(StepRecord::stepId).containsExactly("one");
            SequenceReport report = rig.reports.sequence(ACCOUNT, sequenceId, Optional.empty(), Optional.empty());
            assertThat(report.enrollments().left()).as(sequenceId).containsEntry(LeaveReason.OPTED_OUT.wireName(), 1L);
            assertThat(report.steps()).extracting(SequenceReport.StepFigures::sent).containsExactly(2L, 1L, 1L);
        }
    }
}
