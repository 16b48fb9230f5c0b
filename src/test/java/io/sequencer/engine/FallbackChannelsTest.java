package io.sequencer.engine;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.Reacting.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.sendgrid.SendGridConfig;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.channel.ChannelRoute;
import io.sequencer.domain.channel.StepMessaging;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.report.SequenceReport;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.sequence.StepRules;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.enrollment.EnrollRequest;
import io.sequencer.engine.report.Reports;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;
import io.sequencer.testing.InMemoryPoisonedTicks;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Steps with fallback channels on the tick, on a stepping clock: a Messenger step due after the 24-hour window closed
 * goes by e-mail, else by the host's webhook; a failure is retried on the channel it went to, whatever happens
 * meanwhile; a crash between the send and its record sends again on the same channel under the same id.
 */
class FallbackChannelsTest {
    private static final ChannelConfig PAGE = new MessengerConfig("1234", "PAGE_TOKEN", "21.0");
    private static final ChannelConfig MAIL = new SendGridConfig("SENDGRID_KEY", "news@acme.example", Optional.empty());
    private static final ChannelConfig HOOK = new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty());
    private static final String EMAIL = "{\"subject\":\"Still there?\",\"text\":\"Hi\"}";
    private static final ChannelRoute FALLBACK = new ChannelRoute(Optional.empty(), List.of(
            new ChannelRoute.Fallback(MAIL, Optional.of(EMAIL)), new ChannelRoute.Fallback(HOOK, Optional.empty())));

    private final EngineFixture engine = new EngineFixture();
    private final Reports reports = new Reports(engine.sequenceStore, engine.enrollmentStore, new InMemoryPoisonedTicks(),
            engine.clock);

    private static Step step(String id, long delaySeconds, ChannelRoute route) {
        return new Step(id, Delay.of(delaySeconds, DelayUnit.SECONDS), "{\"text\":\"" + id + "\"}", true,
                Optional.empty(), StepRules.NONE, StepMessaging.DEFAULT, route);
    }

    /** A welcome at once on Messenger, then a step two days on that falls back to e-mail, then to the webhook. */
    private void define(ChannelRoute later) {
        engine.catalog.define(ACCOUNT, "m", new SequenceDraft("m", List.of(step("now", 0, ChannelRoute.DEFAULT),
                step("in-two-days", 2 * 86400, later)), PAGE, Optional.empty(), Optional.empty(), SequenceRules.NONE));
    }

    /** Enrolls {@code id}, with an e-mail address on their profile when one is given. */
    private void enroll(String id, Optional<String> email) {
        engine.enrollments.enroll(new EnrollRequest(in(id), Optional.empty(), email.isEmpty() ? Map.of()
                : Map.of("email", Optional.of(new AttributeValue.Text(email.get()))), Origin.HOST));
    }

    private static EnrollmentKey in(String subscriberId) {
        return new EnrollmentKey(ACCOUNT, "m", subscriberId);
    }

    private StepRecord record(String subscriberId, String stepId) {
        return engine.enrollments.get(in(subscriberId)).lastRecordOf(stepId).orElseThrow();
    }

    private List<String> sendsOf(String stepId) {
        List<Delivery> deliveries = engine.channel.deliveries();
        List<ChannelConfig> channels = engine.channel.channels();
        return java.util.stream.IntStream.range(0, deliveries.size())
                .filter(i -> deliveries.get(i).stepId().equals(stepId))
                .mapToObj(i -> deliveries.get(i).subscriberId() + "@" + channels.get(i).type()).toList();
    }

    @Test
    void outside_the_window_a_step_falls_back_to_email_and_without_an_address_to_the_webhook() {
        define(FALLBACK);
        enroll("ann", Optional.of("ann@example.com"));
        enroll("bob", Optional.empty());
        engine.runFor(Duration.ofDays(3));

        assertThat(sendsOf("now")).containsExactly("ann@messenger", "bob@messenger");
        assertThat(sendsOf("in-two-days")).containsExactlyInAnyOrder("ann@sendgrid", "bob@webhook");
        Delivery toAnn = engine.channel.deliveries().stream()
                .filter(d -> d.stepId().equals("in-two-days") && d.subscriberId().equals("ann")).findFirst().orElseThrow();
        assertThat(toAnn.email()).contains("ann@example.com");
        assertThat(toAnn.message()).isEqualTo(EMAIL);
        Delivery toBob = engine.channel.deliveries().stream()
                .filter(d -> d.stepId().equals("in-two-days") && d.subscriberId().equals("bob")).findFirst().orElseThrow();
        assertThat(toBob.message()).isEqualTo("{\"text\":\"in-two-days\"}");
        assertThat(record("ann", "in-two-days").channel()).contains("sendgrid");
        assertThat(record("bob", "in-two-days").channel()).contains("webhook");
        assertThat(record("ann", "now").channel()).contains("messenger");
        // Nothing is left pinned once the step is recorded.
        assertThat(engine.enrollments.get(in("ann")).routePin()).isEmpty();

        SequenceReport report = reports.sequence(ACCOUNT, "m", Optional.empty(), Optional.empty());
        assertThat(report.sentByChannel()).containsExactlyInAnyOrderEntriesOf(
                Map.of("messenger", 2L, "sendgrid", 1L, "webhook", 1L));
        assertThat(report.steps().get(1).sentByChannel()).containsExactlyInAnyOrderEntriesOf(
                Map.of("sendgrid", 1L, "webhook", 1L));
        assertThat(report.steps().get(1).sent()).isEqualTo(2);
    }

    @Test
    void inside_the_window_the_step_goes_on_its_own_channel_and_no_pin_is_written() {
        define(FALLBACK);
        enroll("ann", Optional.of("ann@example.com"));
        engine.handleVisible();
        engine.clock.advance(Duration.ofHours(40));
        engine.events.record(ACCOUNT, event("ann", EventType.INTERACTED).build());
        engine.runFor(Duration.ofDays(1));
        assertThat(sendsOf("in-two-days")).containsExactly("ann@messenger");
        assertThat(record("ann", "in-two-days").channel()).contains("messenger");
    }

    @Test
    void when_every_channel_would_skip_the_step_is_skipped_for_its_own_channels_reason() {
        define(new ChannelRoute(Optional.empty(), List.of(new ChannelRoute.Fallback(MAIL, Optional.of(EMAIL)))));
        enroll("bob", Optional.empty());
        engine.runFor(Duration.ofDays(3));
        assertThat(sendsOf("in-two-days")).isEmpty();
        assertThat(record("bob", "in-two-days").outcome()).isEqualTo(StepOutcome.SKIPPED);
        assertThat(record("bob", "in-two-days").detail()).isEqualTo("outside_messaging_window");
        assertThat(record("bob", "in-two-days").channel()).isEmpty();
    }

    @Test
    void a_transient_failure_is_retried_on_the_fallback_channel_even_after_the_window_opens_again() {
        define(FALLBACK);
        enroll("ann", Optional.of("ann@example.com"));
        engine.channel.thenAnswer(new SendResult.Sent("ok"), new SendResult.TransientFailure("503", null));
        engine.runFor(Duration.ofDays(2));
        assertThat(sendsOf("in-two-days")).containsExactly("ann@sendgrid");
        // The subscriber writes: Messenger would take the step now, but the delivery is already the e-mail's.
        engine.events.record(ACCOUNT, event("ann", EventType.INTERACTED).build());
        engine.runFor(Duration.ofDays(1));

        assertThat(sendsOf("in-two-days")).containsExactly("ann@sendgrid", "ann@sendgrid");
        List<Delivery> retries = engine.channel.deliveries().stream().filter(d -> d.stepId().equals("in-two-days")).toList();
        assertThat(retries.get(1).deliveryId()).isEqualTo(retries.get(0).deliveryId());
        assertThat(retries.get(1).attempt()).isEqualTo(2);
        assertThat(record("ann", "in-two-days").outcome()).isEqualTo(StepOutcome.SENT);
        assertThat(record("ann", "in-two-days").channel()).contains("sendgrid");
    }

    @Test
    void a_crash_after_the_send_sends_again_on_the_same_channel_under_the_same_id() {
        define(FALLBACK);
        enroll("ann", Optional.of("ann@example.com"));
        engine.handleVisible();
        engine.clock.advance(Duration.ofDays(2).plusSeconds(1));
        Tick due = engine.queue.takeNextVisible().orElseThrow();
        engine.channel.atDelivery(2, () -> {
            throw new IllegalStateException("the worker died before it recorded the send");
        });
        assertThatThrownBy(() -> engine.ticks.handle(due)).isInstanceOf(IllegalStateException.class);
        // Before the queue hands the tick out again, the subscriber writes: the window is open once more.
        engine.events.record(ACCOUNT, event("ann", EventType.INTERACTED).build());
        engine.ticks.handle(due);

        assertThat(sendsOf("in-two-days")).containsExactly("ann@sendgrid", "ann@sendgrid");
        List<Delivery> sends = engine.channel.deliveries().stream().filter(d -> d.stepId().equals("in-two-days")).toList();
        assertThat(sends.get(1).deliveryId()).isEqualTo(sends.get(0).deliveryId());
        assertThat(record("ann", "in-two-days").channel()).contains("sendgrid");
        assertThat(engine.enrollments.get(in("ann")).history()).hasSize(2);
    }

    @Test
    void a_recipient_gone_from_messenger_gets_the_step_by_email_and_stays_enrolled() {
        define(FALLBACK);
        enroll("ann", Optional.of("ann@example.com"));
        engine.handleVisible();
        engine.clock.advance(Duration.ofHours(40));
        engine.events.record(ACCOUNT, event("ann", EventType.INTERACTED).build());
        engine.channel.thenAnswer(new SendResult.RecipientGone("graph error 551: the person is not available"));
        engine.runFor(Duration.ofDays(1));

        assertThat(sendsOf("in-two-days")).containsExactly("ann@messenger", "ann@sendgrid");
        List<Delivery> sends = engine.channel.deliveries().stream().filter(d -> d.stepId().equals("in-two-days")).toList();
        assertThat(sends.get(1).deliveryId()).isEqualTo(sends.get(0).deliveryId());
        assertThat(record("ann", "in-two-days").outcome()).isEqualTo(StepOutcome.SENT);
        assertThat(record("ann", "in-two-days").channel()).contains("sendgrid");
        assertThat(engine.enrollments.get(in("ann")).status()).isEqualTo(EnrollmentStatus.COMPLETED);
    }
}
