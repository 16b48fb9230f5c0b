package io.sequencer.adapters.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.adapters.json.ReportJson;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.channel.StepMessaging;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.report.PoisonSummary;
import io.sequencer.domain.report.SequenceReport;
import io.sequencer.domain.report.Tally;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.Experiment;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.sequence.StepRules;
import io.sequencer.domain.sequence.Variant;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The conversions of a report with an A/B test and a holdout, as the page, the JSON and the CSV show them. */
class ConversionSectionTest {
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

    private static SequenceReport report() {
        Experiment test = new Experiment(List.of(new Variant("a", 50, "{\"text\":\"A\"}"),
                new Variant("b", 50, "{\"text\":\"B\"}")), List.of());
        Step offer = new Step("offer", Delay.of(0, DelayUnit.SECONDS), "{\"text\":\"x\"}", true, Optional.empty(),
                StepRules.NONE, StepMessaging.DEFAULT, test);
        Sequence sequence = Sequence.create("acme", "trial", new SequenceDraft("Trial", List.of(offer),
                new WebhookConfig(URI.create("https://host.example/hook"), Optional.empty()), Optional.empty(),
                Optional.empty(), new SequenceRules(ReentryPolicy.NEVER, List.of(), List.of(), false, 10)), NOW);
        Tally counts = new Tally(Map.ofEntries(
                Map.entry(Tally.ENROLLED, 1000L), Map.entry(Tally.heldOut(Tally.ENROLLED), 100L),
                Map.entry(Tally.left(LeaveReason.GOAL), 190L), Map.entry(Tally.heldOut(Tally.left(LeaveReason.GOAL)), 10L),
                Map.entry(Tally.step("offer", Tally.SENT), 900L), Map.entry(Tally.step("offer", Tally.CONVERTED), 180L),
                Map.entry(Tally.step("offer", Tally.UNSUBSCRIBED), 9L),
                Map.entry(Tally.variant("offer", "a", Tally.EXPOSED), 450L),
                Map.entry(Tally.variant("offer", "a", Tally.CONVERTED), 70L),
                Map.entry(Tally.variant("offer", "b", Tally.EXPOSED), 450L),
                Map.entry(Tally.variant("offer", "b", Tally.CONVERTED), 110L)));
        return SequenceReport.of(sequence, new TreeMap<>(Map.of(LocalDate.of(2026, 3, 9), counts)), Optional.empty(),
                Optional.empty(), PoisonSummary.NONE, NOW);
    }

    @Test
    void the_report_compares_variant_b_with_a_and_the_treated_with_the_holdout() {
        SequenceReport report = report();
        var b = report.steps().get(0).variants().get(1);
        assertThat(b.conversionRate()).contains(0.2444);
        assertThat(b.versusFirst()).hasValueSatisfying(t -> assertThat(t)
                .isInstanceOfSatisfying(io.sequencer.domain.report.TwoProportions.Compared.class,
                        c -> assertThat(c.significant()).isTrue()));
        var holdout = report.holdout().orElseThrow();
        assertThat(holdout.treated()).isEqualTo(900);
        assertThat(holdout.treatedConverted()).isEqualTo(180);
        assertThat(holdout.heldOutRate()).contains(0.1);
        assertThat(holdout.treatedRate()).contains(0.2);
    }

    @Test
    void the_page_json_and_csv_show_variants_conversions_and_lift() {
        SequenceReport report = report();
        String page = ReportPage.html(report);
        assertThat(page).contains("<h2 id=\"conversions-heading\">Conversions</h2>", "Test at step <code>offer</code>",
                "<code>b</code>", "Lift", "+10.0 pts", "significant", "the baseline", "20.0%");
        var json = ReportJson.write(report);
        assertThat(json.path("holdout").path("lift").path("status").asText()).isEqualTo("compared");
        assertThat(json.path("holdout").path("lift").path("difference").asDouble()).isEqualTo(0.1);
        assertThat(json.path("steps").get(0).path("variants").get(0).path("versusFirst").isNull()).isTrue();
        assertThat(ReportCsv.write(json)).contains("step,offer,,variants.b.converted,110",
                "holdout,,,lift.difference,0.1", "step,offer,,conversionRate,0.2");
    }

    @Test
    void a_report_without_tests_goals_or_holdout_has_no_conversions_section() {
        assertThat(ReportPage.html(io.sequencer.testing.SampleReports.untouched("Quiet"))).doesNotContain("Conversions");
    }
}
