package io.sequencer.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.broadcast.FanOutCursor;
import io.sequencer.domain.broadcast.FanOutPage;
import io.sequencer.domain.channel.DeliveryDeferral;
import io.sequencer.domain.channel.Destination;
import io.sequencer.domain.enrollment.DeferredStep;
import io.sequencer.domain.enrollment.DeliveryId;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.enrollment.Origin;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.notification.Notice;
import io.sequencer.domain.notification.NoticeDraft;
import io.sequencer.domain.notification.NoticeType;
import io.sequencer.domain.notification.NotificationSettings;
import io.sequencer.domain.notification.Outbox;
import io.sequencer.domain.report.ReportRef;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.EventMatch;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.subscriber.Resubscription;
import io.sequencer.domain.subscriber.Subscriber;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Small values whose rules other classes rely on: the field an error names, what a value shows of itself. */
class SmallValuesTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final EnrollmentKey ANN = new EnrollmentKey("acme", "welcome", "ann");

    @Test
    void a_report_reference_names_the_id_field_of_its_kind() {
        assertThatThrownBy(() -> new ReportRef(ReportRef.Kind.SEQUENCE, "acme", "bad id"))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("sequenceId"));
        assertThatThrownBy(() -> new ReportRef(ReportRef.Kind.BROADCAST, "acme", "bad id"))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("broadcastId"));
    }

    @Test
    void a_valid_id_is_returned_as_it_is_and_every_fault_of_an_invalid_value_is_in_its_message() {
        assertThat(Ids.require("account", "acme")).isEqualTo("acme");
        Invalid two = new Invalid(List.of(new FieldError("name", "is required"), new FieldError("steps", "is empty")));
        assertThat(two).hasMessage("name: is required; steps: is empty");
    }

    @Test
    void a_resubscription_made_up_to_a_minute_ahead_of_the_clock_is_taken_as_it_is() {
        Resubscription justAhead = new Resubscription(NOW.plus(Resubscription.MAX_CLOCK_SKEW), "at");
        assertThat(justAhead.checkedAt(NOW)).isSameAs(justAhead);
        assertThatThrownBy(() -> new Resubscription(NOW.plus(Resubscription.MAX_CLOCK_SKEW).plusSeconds(1), "at").checkedAt(NOW))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("at"));
    }

    @Test
    void an_event_pattern_names_a_valid_step_and_without_step_or_name_matches_every_event_of_its_type() {
        assertThatThrownBy(() -> new EventMatch(EventType.CLICKED, Optional.of("bad id"), Optional.empty()))
                .isInstanceOf(Invalid.class);
        EventMatch anyClick = EventMatch.of(EventType.CLICKED);
        assertThat(anyClick.matches(EventType.CLICKED, Optional.of("s1"), Optional.empty())).isTrue();
        assertThat(anyClick.matches(EventType.READ, Optional.of("s1"), Optional.empty())).isFalse();
    }

    @Test
    void a_fan_out_page_that_waited_counts_one_wait_more() {
        FanOutPage page = new FanOutPage("acme", "spring", 3, 1);
        assertThat(page.waitedOnce()).isEqualTo(new FanOutPage("acme", "spring", 3, 2));
    }

    @Test
    void a_fan_out_goes_through_every_listed_page_then_the_account_or_ends() {
        FanOutCursor first = FanOutCursor.start(2);

        FanOutCursor second = first.next(2, false, Optional.empty(), NOW);
        FanOutCursor afterListed = second.next(2, false, Optional.empty(), NOW);

        assertThat(second.phase()).isEqualTo(FanOutCursor.Phase.LISTED);
        assertThat(second.page()).isEqualTo(1);
        assertThat(second.startedAt()).contains(NOW);
        assertThat(afterListed.phase()).isEqualTo(FanOutCursor.Phase.DONE);
        assertThat(second.next(2, true, Optional.empty(), NOW).phase()).isEqualTo(FanOutCursor.Phase.ACCOUNT);
    }

    @Test
    void an_enrollment_holds_a_record_of_a_delivery_only_once_that_delivery_was_recorded() {
        Step one = new Step("one", Delay.of(0, DelayUnit.SECONDS), "{}");
        Step two = new Step("two", Delay.of(1, DelayUnit.HOURS), "{}");
        Enrollment started = Enrollment.start(ANN, 1, one, NOW, NOW, "t1", Optional.empty(), Origin.HOST);
        Enrollment sent = started.advance(new StepRecord("one", "dlv_1", StepOutcome.SENT, NOW, 1, ""), two, NOW, "t2", NOW);

        assertThat(started.hasRecordOf("dlv_1")).isFalse();
        assertThat(sent.hasRecordOf("dlv_1")).isTrue();
        assertThat(sent.hasRecordOf("dlv_2")).isFalse();
    }

    @Test
    void a_deferred_step_is_current_only_for_the_same_life_and_step_of_an_active_enrollment() {
        Step one = new Step("one", Delay.of(0, DelayUnit.SECONDS), "{}");
        Enrollment active = Enrollment.start(ANN, 2, one, NOW, NOW, "t1", Optional.empty(), Origin.HOST);
        DeferredStep deferred = new DeferredStep(2, "one", "https://host.example:443", NOW, NOW.plusSeconds(60));

        assertThat(deferred.isCurrentFor(active)).isTrue();
        assertThat(new DeferredStep(1, "one", "https://host.example:443", NOW, NOW).isCurrentFor(active)).isFalse();
        assertThat(new DeferredStep(2, "two", "https://host.example:443", NOW, NOW).isCurrentFor(active)).isFalse();
        assertThat(deferred.isCurrentFor(active.leave(LeaveReason.UNSUBSCRIBED, NOW))).isFalse();
    }

    @Test
    void a_destination_and_a_delivery_id_show_their_key_and_a_deferral_says_why() {
        Destination destination = (new WebhookConfig(URI.create("HTTPS://Host.Example/hook?x=1"),
                Optional.empty())).destination();
        assertThat(destination).hasToString("https://host.example:443");
        DeliveryId id = DeliveryId.of(ANN, 1, 0, "one");
        assertThat(id).hasToString(id.value());
        assertThat(id.value()).startsWith("dlv_");

        Instant until = NOW.plus(Duration.ofMinutes(5));
        assertThat(new DeliveryDeferral("https://host.example:443", DeliveryDeferral.Cause.CIRCUIT_OPEN, NOW, until).reason())
                .isEqualTo("the circuit of destination https://host.example:443 is open until " + until);
        assertThat(new DeliveryDeferral("https://host.example:443", DeliveryDeferral.Cause.BULKHEAD_FULL, NOW, until).reason())
                .isEqualTo("destination https://host.example:443 has as many sends in flight as it may");
    }

    @Test
    void a_subscriber_is_enrolled_only_in_the_sequences_it_was_enrolled_in() {
        Subscriber ann = Subscriber.create("acme", "ann", NOW).enrolledIn("welcome", NOW);
        assertThat(ann.isEnrolledIn("welcome")).isTrue();
        assertThat(ann.isEnrolledIn("promo")).isFalse();
    }

    @Test
    void notification_settings_name_one_secret_and_keep_their_delivery_health_when_redefined() {
        URI hook = URI.create("https://host.example/events");
        assertThatThrownBy(() -> new NotificationSettings("acme", hook, Optional.of("SETTING"), Set.of(NoticeType.STEP_SENT),
                NOW, NOW, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("secret")))
                .isInstanceOf(IllegalArgumentException.class);
        NotificationSettings failing = new NotificationSettings("acme", hook, Optional.empty(), Set.of(NoticeType.STEP_SENT),
                NOW, NOW, Optional.empty(), Optional.empty(), Optional.empty()).failed("503", NOW);
        URI moved = URI.create("https://host.example/v2/events");

        NotificationSettings redefined = failing.redefined(moved, Optional.of("SETTING"), Set.of(NoticeType.STEP_FAILED),
                NOW.plusSeconds(60));
        NotificationSettings withSecret = failing.redefined(moved, Optional.empty(), Optional.of("secret"),
                Set.of(NoticeType.STEP_FAILED), NOW.plusSeconds(60));

        assertThat(redefined.url()).isEqualTo(moved);
        assertThat(redefined.secretSetting()).contains("SETTING");
        assertThat(redefined.isFailing()).isTrue();
        assertThat(redefined.lastError()).contains("503");
        assertThat(withSecret.secret()).contains("secret");
        assertThat(withSecret.wants(NoticeType.STEP_FAILED)).isTrue();
    }

    @Test
    void a_batch_of_one_event_carries_its_id_and_a_larger_batch_an_id_of_its_events_in_order() {
        Outbox outbox = Outbox.EMPTY.plus(ANN, List.of(NoticeDraft.of(NoticeType.ENROLLMENT_STARTED, NOW, 1),
                NoticeDraft.of(NoticeType.ENROLLMENT_COMPLETED, NOW, 1)));
        Notice first = outbox.pending().get(0);
        Notice second = outbox.pending().get(1);

        assertThat(Notice.batchIdOf(List.of(first))).isEqualTo(first.eventId());
        assertThat(Notice.batchIdOf(List.of(first, second))).startsWith("ntf_")
                .isEqualTo(Notice.batchIdOf(List.of(first, second)))
                .isNotEqualTo(Notice.batchIdOf(List.of(second, first)));
        assertThatThrownBy(() -> Notice.batchIdOf(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
