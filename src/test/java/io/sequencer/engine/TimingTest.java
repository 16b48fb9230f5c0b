package io.sequencer.engine;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.draft;
import static io.sequencer.engine.EngineFixture.subscriber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.SendWindow;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.SequenceStatus;
import io.sequencer.domain.sequence.Step;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendResult;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Send windows, time zones, clock-time delays, pause and resume, disabled steps, archive and live edits. */
class TimingTest {
    private static final ChannelConfig HOOK = new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty());
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final SendWindow OFFICE = new SendWindow(LocalTime.of(9, 0), LocalTime.of(18, 0), SendWindow.EVERY_DAY);
    private final EngineFixture engine = new EngineFixture(); // clock starts 2026-03-01T09:00:00Z (a Sunday)

    private static Step step(String id, Delay delay) {
        return new Step(id, delay, "{}");
    }

    /** When each step sent to the subscriber was recorded as sent (retries of one step count once). */
    private List<Instant> sendTimes(String subscriber) {
        return engine.channel.deliveries().stream().filter(d -> d.key().subscriberId().equals(subscriber))
                .map(d -> engine.enrollments.get(subscriber(subscriber)).history().stream()
                        .filter(r -> r.deliveryId().equals(d.deliveryId().value())).findFirst().orElseThrow().at())
                .distinct()
                .toList();
    }

    @Test
    void a_step_due_at_night_goes_at_the_window_opening_and_the_next_counts_from_that_send() {
        engine.clock.set(Instant.parse("2026-06-01T20:00:00Z")); // 22:00 in Berlin
        engine.catalog.define(ACCOUNT, SEQUENCE, new SequenceDraft("n", List.of(
                step("welcome", Delay.of(0, DelayUnit.SECONDS)), step("tips", Delay.of(1, DelayUnit.HOURS))),
                HOOK, Optional.of(BERLIN), Optional.of(OFFICE)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.runFor(Duration.ofDays(2));
        assertThat(sendTimes("ann")).containsExactly(
                Instant.parse("2026-06-02T07:00:00Z"), Instant.parse("2026-06-02T08:00:00Z")); // 09:00 and 10:00 Berlin
    }

    @Test
    void each_subscriber_gets_the_step_in_their_own_time_zone() {
        engine.clock.set(Instant.parse("2026-06-01T00:00:00Z"));
        engine.catalog.define(ACCOUNT, SEQUENCE, new SequenceDraft("n", List.of(
                step("morning", new Delay.AtLocalTime(LocalTime.of(9, 0), Optional.empty(), Delay.Anchor.PREVIOUS))),
                HOOK, Optional.of(BERLIN), Optional.empty()));
        engine.enrollments.enroll(subscriber("auckland"), Optional.of(ZoneId.of("Pacific/Auckland")));
        engine.enrollments.enroll(subscriber("honolulu"), Optional.of(ZoneId.of("Pacific/Honolulu")));
        engine.enrollments.enroll(subscriber("berlin"), Optional.empty());
        engine.runFor(Duration.ofDays(2));
        assertThat(sendTimes("auckland")).containsExactly(Instant.parse("2026-06-01T21:00:00Z")); // 09:00 NZST June 2
        assertThat(sendTimes("honolulu")).containsExactly(Instant.parse("2026-06-01T19:00:00Z")); // 09:00 HST June 1
        assertThat(sendTimes("berlin")).containsExactly(Instant.parse("2026-06-01T07:00:00Z"));   // 09:00 CEST June 1
    }

    @Test
    void on_a_weekday_at_a_clock_time_is_sent_that_day_at_that_time() {
        engine.catalog.define(ACCOUNT, SEQUENCE, new SequenceDraft("n", List.of(
                step("monday", new Delay.AtLocalTime(LocalTime.of(9, 30), Optional.of(DayOfWeek.MONDAY), Delay.Anchor.PREVIOUS))),
                HOOK, Optional.of(BERLIN), Optional.empty()));
        engine.enrollments.enroll(subscriber("ann"));
        engine.runFor(Duration.ofDays(8));
        assertThat(sendTimes("ann")).containsExactly(Instant.parse("2026-03-02T08:30:00Z"));
    }

    @Test
    void a_delay_from_enrollment_ignores_when_the_previous_step_went() {
        engine.catalog.define(ACCOUNT, SEQUENCE, new SequenceDraft("n", List.of(
                step("a", Delay.of(1, DelayUnit.HOURS)),
                step("b", new Delay.Span(3, DelayUnit.HOURS, Delay.Anchor.ENROLLMENT))), HOOK));
        Instant enrolled = engine.clock.instant();
        engine.enrollments.enroll(subscriber("ann"));
        engine.runFor(Duration.ofDays(1));
        assertThat(sendTimes("ann")).containsExactly(enrolled.plusSeconds(3600), enrolled.plusSeconds(3 * 3600));
    }

    @Test
    void while_paused_nothing_is_sent_and_after_resume_every_held_step_goes_once() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 60, 60));
        for (int i = 0; i < 10; i++) {
            engine.enrollments.enroll(subscriber("sub-" + i));
        }
        engine.catalog.pause(ACCOUNT, SEQUENCE);
        engine.runFor(Duration.ofHours(3));
        assertThat(engine.channel.deliveries()).isEmpty();
        assertThat(engine.catalog.get(ACCOUNT, SEQUENCE).status()).isEqualTo(SequenceStatus.PAUSED);

        Instant resumedAt = engine.clock.instant();
        engine.catalog.resume(ACCOUNT, SEQUENCE);
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.channel.deliveries()).hasSize(30);
        assertThat(engine.channel.deliveries()).extracting(Delivery::deliveryId).doesNotHaveDuplicates();
        Instant firstAfterResume = sendTimes("sub-0").get(0);
        assertThat(Duration.between(resumedAt, firstAfterResume)).isLessThanOrEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void held_steps_resumed_at_night_wait_for_the_window() {
        engine.clock.set(Instant.parse("2026-06-01T10:00:00Z")); // 12:00 Berlin
        engine.catalog.define(ACCOUNT, SEQUENCE, new SequenceDraft("n", List.of(step("a", Delay.of(0, DelayUnit.SECONDS))),
                HOOK, Optional.of(BERLIN), Optional.of(OFFICE)));
        engine.catalog.pause(ACCOUNT, SEQUENCE);
        engine.enrollments.enroll(subscriber("ann"));
        engine.runFor(Duration.ofHours(10)); // 22:00 Berlin
        engine.catalog.resume(ACCOUNT, SEQUENCE);
        engine.runFor(Duration.ofDays(1));
        assertThat(sendTimes("ann")).containsExactly(Instant.parse("2026-06-02T07:00:00Z"));
    }

    @Test
    void a_disabled_step_is_skipped_recorded_and_the_next_counts_from_the_skip() {
        engine.catalog.define(ACCOUNT, SEQUENCE, new SequenceDraft("n", List.of(
                step("a", Delay.of(0, DelayUnit.SECONDS)),
                new Step("b", Delay.of(60, DelayUnit.SECONDS), "{}", false, Optional.empty()),
                step("c", Delay.of(60, DelayUnit.SECONDS))), HOOK));
        Instant start = engine.clock.instant();
        engine.enrollments.enroll(subscriber("ann"));
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.channel.deliveries()).extracting(Delivery::stepId).containsExactly("a", "c");
        Enrollment done = engine.enrollments.get(subscriber("ann"));
        assertThat(done.history()).extracting(r -> r.outcome())
                .containsExactly(StepOutcome.SENT, StepOutcome.SKIPPED, StepOutcome.SENT);
        assertThat(done.history().get(1).detail()).isEqualTo("disabled");
        assertThat(done.history().get(2).at()).isEqualTo(start.plusSeconds(120));
        assertThat(done.stepsSent()).isEqualTo(2);
    }

    @Test
    void archiving_ends_every_enrollment_as_left_and_refuses_new_ones() {
        engine.catalog.define(ACCOUNT, SEQUENCE, draft(0, 3600));
        engine.enrollments.enroll(subscriber("ann"));
        engine.runFor(Duration.ofSeconds(1));
        engine.catalog.archive(ACCOUNT, SEQUENCE);
        Enrollment shown = engine.enrollments.get(subscriber("ann"));
        assertThat(shown.status()).isEqualTo(EnrollmentStatus.LEFT);
        assertThat(shown.leaveReason()).contains(LeaveReason.ARCHIVED);

        engine.runFor(Duration.ofDays(1));
        assertThat(engine.channel.deliveries()).hasSize(1);
        Enrollment stored = engine.enrollmentStore.find(subscriber("ann")).orElseThrow().value();
        assertThat(stored.status()).isEqualTo(EnrollmentStatus.LEFT);
        assertThat(stored.leaveReason()).contains(LeaveReason.ARCHIVED);

        assertThatThrownBy(() -> engine.enrollments.enroll(subscriber("bob"))).isInstanceOf(Conflict.class);
        assertThatThrownBy(() -> engine.catalog.define(ACCOUNT, SEQUENCE, draft(0))).isInstanceOf(Conflict.class);
        assertThatThrownBy(() -> engine.catalog.resume(ACCOUNT, SEQUENCE)).isInstanceOf(Conflict.class);
        assertThat(engine.catalog.archive(ACCOUNT, SEQUENCE).status()).isEqualTo(SequenceStatus.ARCHIVED);
        assertThat(engine.catalog.get(ACCOUNT, SEQUENCE).steps()).hasSize(2);
    }

    @Test
    void a_live_edit_keeps_subscribers_at_their_step_skips_insertions_before_them_and_uses_new_delays_ahead() {
        engine.catalog.define(ACCOUNT, SEQUENCE, new SequenceDraft("n", List.of(
                step("a", Delay.of(0, DelayUnit.SECONDS)),
                step("b", Delay.of(10, DelayUnit.MINUTES)),
                step("c", Delay.of(10, DelayUnit.MINUTES))), HOOK));
        Instant start = engine.clock.instant();
        engine.enrollments.enroll(subscriber("ann"));
        engine.runFor(Duration.ofMinutes(1)); // a sent; b scheduled for start + 10 min
        engine.catalog.define(ACCOUNT, SEQUENCE, new SequenceDraft("n", List.of(
                step("intro", Delay.of(0, DelayUnit.SECONDS)),
                step("a", Delay.of(0, DelayUnit.SECONDS)),
                step("b", Delay.of(5, DelayUnit.MINUTES)),
                step("c", Delay.of(30, DelayUnit.MINUTES))), HOOK));
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.channel.deliveries()).extracting(Delivery::stepId).containsExactly("a", "b", "c");
        assertThat(sendTimes("ann")).containsExactly(start, start.plusSeconds(600), start.plusSeconds(600 + 1800));
    }

    @Test
    void a_retry_that_would_land_outside_the_window_waits_for_its_next_opening() {
        engine.clock.set(Instant.parse("2026-06-01T15:59:00Z")); // 17:59 Berlin, window closes at 18:00
        engine.catalog.define(ACCOUNT, SEQUENCE, new SequenceDraft("n", List.of(step("a", Delay.of(0, DelayUnit.SECONDS))),
                HOOK, Optional.of(BERLIN), Optional.of(OFFICE)));
        engine.channel.thenAnswer(new SendResult.TransientFailure("HTTP 503", Duration.ofMinutes(2)));
        engine.enrollments.enroll(subscriber("ann"));
        engine.runFor(Duration.ofDays(1));
        assertThat(engine.channel.deliveries()).hasSize(2);
        assertThat(sendTimes("ann")).containsExactly(Instant.parse("2026-06-02T07:00:00Z"));
    }
}
