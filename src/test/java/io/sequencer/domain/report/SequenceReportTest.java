package io.sequencer.domain.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.Step;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A sequence's report read off its tally per day. */
class SequenceReportTest {
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final LocalDate MAR_1 = LocalDate.of(2026, 3, 1);
    private static final LocalDate MAR_2 = MAR_1.plusDays(1);
    private static final LocalDate MAR_3 = MAR_1.plusDays(2);
    private static final Sequence WELCOME = Sequence.create("acme", "welcome", new SequenceDraft("Welcome",
            List.of(new Step("one", Delay.of(0, DelayUnit.SECONDS), "{}"), new Step("two", Delay.of(1, DelayUnit.DAYS), "{}")),
            new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty())), NOW);

    private static SequenceReport report(SortedMap<LocalDate, Tally> byDay, Optional<LocalDate> from, Optional<LocalDate> to) {
        return SequenceReport.of(WELCOME, byDay, from, to, PoisonSummary.NONE, NOW);
    }

    @Test
    void active_is_every_enrollment_not_completed_restarted_or_left() {
        SortedMap<LocalDate, Tally> byDay = new TreeMap<>(Map.of(MAR_1, new Tally(Map.of("enrolled", 10L,
                "completed", 3L, "restarted", 2L, "left|goal", 1L, "left|unsubscribed", 1L))));

        SequenceReport.EnrollmentFigures figures = report(byDay, Optional.empty(), Optional.empty()).enrollments();

        assertThat(figures.active()).isEqualTo(3);
        assertThat(figures.leftTotal()).isEqualTo(2);
        assertThat(figures.left()).containsEntry("goal", 1L).containsEntry("unsubscribed", 1L).containsEntry("blocked", 0L);
    }

    @Test
    void counts_cover_the_days_asked_for_while_active_is_always_now() {
        SortedMap<LocalDate, Tally> byDay = new TreeMap<>(Map.of(
                MAR_1, new Tally(Map.of("enrolled", 1L)),
                MAR_2, new Tally(Map.of("enrolled", 2L)),
                MAR_3, new Tally(Map.of("enrolled", 4L))));

        SequenceReport middle = report(byDay, Optional.of(MAR_2), Optional.of(MAR_2));
        SequenceReport upTo = report(byDay, Optional.empty(), Optional.of(MAR_2));

        assertThat(middle.enrollments().enrolled()).isEqualTo(2);
        assertThat(middle.days()).extracting(SequenceReport.DayFigures::day).containsExactly(MAR_2);
        assertThat(upTo.enrollments().enrolled()).isEqualTo(3);
        assertThat(upTo.days()).extracting(SequenceReport.DayFigures::day).containsExactly(MAR_1, MAR_2);
        assertThat(middle.enrollments().active()).isEqualTo(7);
    }

    @Test
    void steps_are_numbered_from_one_in_definition_order_and_a_removed_step_keeps_its_figures_without_a_number() {
        SortedMap<LocalDate, Tally> byDay = new TreeMap<>(Map.of(MAR_1, new Tally(Map.of(
                "step|two|sent", 1L, "step|gone|sent", 5L))));

        List<SequenceReport.StepFigures> steps = report(byDay, Optional.empty(), Optional.empty()).steps();

        assertThat(steps).extracting(SequenceReport.StepFigures::stepId).containsExactly("one", "two", "gone");
        assertThat(steps).extracting(SequenceReport.StepFigures::position)
                .containsExactly(Optional.of(1), Optional.of(2), Optional.empty());
        assertThat(steps.get(2).sent()).isEqualTo(5);
    }

    @Test
    void a_steps_failures_and_skips_are_given_by_class_and_in_total() {
        SortedMap<LocalDate, Tally> byDay = new TreeMap<>(Map.of(MAR_1, new Tally(Map.of(
                "step|one|sent", 4L, "step|one|failed|transient", 2L, "step|one|failed|recipient_gone", 1L,
                "step|one|skipped|disabled", 1L, "step|one|skipped|branched", 2L))));

        SequenceReport.StepFigures one = report(byDay, Optional.empty(), Optional.empty()).steps().get(0);

        assertThat(one.failed()).containsExactly(Map.entry("transient", 2L), Map.entry("permanent", 0L),
                Map.entry("recipient_gone", 1L));
        assertThat(one.failedTotal()).isEqualTo(3);
        assertThat(one.skipped()).containsOnly(Map.entry("branched", 2L), Map.entry("disabled", 1L));
        assertThat(one.skippedTotal()).isEqualTo(3);
    }
}
