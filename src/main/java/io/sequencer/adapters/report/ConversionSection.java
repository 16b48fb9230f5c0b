package io.sequencer.adapters.report;

import io.sequencer.domain.report.Conversions.HoldoutFigures;
import io.sequencer.domain.report.Conversions.VariantFigures;
import io.sequencer.domain.report.SequenceReport;
import io.sequencer.domain.report.SequenceReport.StepFigures;
import io.sequencer.domain.report.TwoProportions;
import java.util.Locale;
import java.util.Optional;

/**
 * The report page's conversions: the holdout's lift with its confidence interval, goal conversions and unsubscribes
 * per step, and each A/B test's variants side by side with the test against the first variant.
 */
final class ConversionSection {
    private ConversionSection() {}

    /** The section, when the report has anything to show in it: a holdout, a test, a goal or an unsubscribe. */
    static void append(StringBuilder page, SequenceReport report) {
        boolean any = report.holdout().isPresent() || report.steps().stream()
                .anyMatch(s -> !s.variants().isEmpty() || s.converted() > 0 || s.unsubscribed() > 0);
        if (!any) {
            return;
        }
        page.append("<section aria-labelledby=\"conversions-heading\">\n")
                .append("<h2 id=\"conversions-heading\">Conversions</h2>\n")
                .append("<p class=\"hint\">A goal or an unsubscribe is credited to the last step sent before it; ")
                .append("rates are of messages sent. A comparison needs at least ")
                .append(TwoProportions.MIN_SAMPLE).append(" subjects and ").append(TwoProportions.MIN_OUTCOMES)
                .append(" conversions (and as many without) in each group.</p>\n");
        report.holdout().ifPresent(h -> holdout(page, h));
        page.append("<div class=\"table\"><table>\n<thead><tr><th scope=\"col\" class=\"text\">Step</th>")
                .append("<th scope=\"col\">Sent</th><th scope=\"col\">Converted</th>")
                .append("<th scope=\"col\">Conversion rate</th><th scope=\"col\">Unsubscribed</th>")
                .append("<th scope=\"col\">Unsubscribe rate</th></tr></thead>\n<tbody>\n");
        for (StepFigures step : report.steps()) {
            page.append("<tr><th scope=\"row\" class=\"text\"><code>").append(Html.text(step.stepId()))
                    .append("</code></th>");
            cell(page, FigureText.count(step.sent()));
            cell(page, FigureText.count(step.converted()));
            cell(page, FigureText.percent(step.conversionRate()));
            cell(page, FigureText.count(step.unsubscribed()));
            cell(page, FigureText.percent(step.unsubscribeRate()));
            page.append("</tr>\n");
        }
        page.append("</tbody>\n</table></div>\n");
        for (StepFigures step : report.steps()) {
            if (!step.variants().isEmpty()) {
                variants(page, step);
            }
        }
        page.append("</section>\n");
    }

    private static void holdout(StringBuilder page, HoldoutFigures h) {
        page.append("<div class=\"cards\">\n");
        ReportPage.card(page, "Held out", h.heldOut(), h.percent() + " % control group, sent nothing");
        page.append("<div class=\"card\"><span class=\"label\">Converted, held out</span><span class=\"value\">")
                .append(FigureText.percent(h.heldOutRate())).append("</span><span class=\"note\">")
                .append(FigureText.count(h.heldOutConverted())).append(" of ").append(FigureText.count(h.heldOut()))
                .append("</span></div>\n");
        page.append("<div class=\"card\"><span class=\"label\">Converted, sent the sequence</span>")
                .append("<span class=\"value\">").append(FigureText.percent(h.treatedRate()))
                .append("</span><span class=\"note\">").append(FigureText.count(h.treatedConverted())).append(" of ")
                .append(FigureText.count(h.treated())).append("</span></div>\n");
        page.append("<div class=\"card\"><span class=\"label\">Lift</span><span class=\"value\">")
                .append(Html.text(headline(h.lift()))).append("</span><span class=\"note\">")
                .append(Html.text(verdict(h.lift()))).append("</span></div>\n</div>\n");
    }

    private static void variants(StringBuilder page, StepFigures step) {
        page.append("<h3>Test at step <code>").append(Html.text(step.stepId())).append("</code></h3>\n")
                .append("<div class=\"table\"><table>\n<thead><tr><th scope=\"col\" class=\"text\">Variant</th>")
                .append("<th scope=\"col\">Weight</th><th scope=\"col\">Exposed</th><th scope=\"col\">Clicked</th>")
                .append("<th scope=\"col\">Converted</th><th scope=\"col\">Conversion rate</th>")
                .append("<th scope=\"col\">Unsubscribed</th><th scope=\"col\" class=\"text\">Versus the first</th>")
                .append("</tr></thead>\n<tbody>\n");
        for (VariantFigures v : step.variants()) {
            page.append("<tr><th scope=\"row\" class=\"text\"><code>").append(Html.text(v.id())).append("</code></th>");
            cell(page, v.weight().map(String::valueOf).orElse(FigureText.NONE));
            cell(page, FigureText.count(v.exposed()));
            cell(page, FigureText.count(v.clicked()));
            cell(page, FigureText.count(v.converted()));
            cell(page, FigureText.percent(v.conversionRate()));
            cell(page, FigureText.count(v.unsubscribed()));
            page.append("<td class=\"text\">").append(Html.text(v.versusFirst()
                    .map(t -> headline(t) + ": " + verdict(t)).orElse("the baseline"))).append("</td></tr>\n");
        }
        page.append("</tbody>\n</table></div>\n");
    }

    private static void cell(StringBuilder page, String text) {
        page.append("<td>").append(Html.text(text)).append("</td>");
    }

    /** The difference in points, e.g. "+4.2 pts", or a dash when there is none yet. */
    private static String headline(TwoProportions.Outcome outcome) {
        return outcome instanceof TwoProportions.Compared c ? points(c.difference()) : FigureText.NONE;
    }

    /** "95 % CI -1.0 pts to +9.4 pts, p = 0.100, not significant", or why there is no figure yet. */
    private static String verdict(TwoProportions.Outcome outcome) {
        if (outcome instanceof TwoProportions.NotEnoughData none) {
            return "not enough data: " + none.reason();
        }
        TwoProportions.Compared c = (TwoProportions.Compared) outcome;
        String p = c.pValue() < 0.001 ? "p < 0.001" : String.format(Locale.ROOT, "p = %.3f", c.pValue());
        return "95 % CI " + points(c.lower()) + " to " + points(c.upper()) + ", " + p
                + (c.significant() ? ", significant" : ", not significant") + relative(c.relativeLift());
    }

    private static String relative(Optional<Double> lift) {
        return lift.map(l -> String.format(Locale.ROOT, " (%+.0f %% relative)", 100 * l)).orElse("");
    }

    private static String points(double difference) {
        return String.format(Locale.ROOT, "%+.1f pts", 100 * difference);
    }
}
