package io.sequencer.adapters.report;

import static io.sequencer.adapters.report.ChartFrame.num;

import io.sequencer.domain.report.SequenceReport.StepFigures;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Each step's funnel as grouped bars, one group a step in sequence order: scheduled, sent, delivered, read, clicked.
 * Grouped, not stacked, because each figure is a subset of the one before, not a part of a whole. Many steps widen
 * the chart (the page scrolls it) rather than squeeze the bars to hairlines.
 */
final class FunnelChart {
    private record Metric(ChartFrame.Series series, ToLongFunction<StepFigures> value) {}

    private static final List<Metric> METRICS = List.of(
            new Metric(new ChartFrame.Series("Scheduled", "#9aa5b1"), StepFigures::scheduled),
            new Metric(new ChartFrame.Series("Sent", "#0072b2"), StepFigures::sent),
            new Metric(new ChartFrame.Series("Delivered", "#56b4e9"), StepFigures::delivered),
            new Metric(new ChartFrame.Series("Read", "#009e73"), StepFigures::read),
            new Metric(new ChartFrame.Series("Clicked", "#e69f00"), StepFigures::clicked));
    private static final double WIDTH = 960;
    private static final double MIN_GROUP_WIDTH = 96;
    private static final double MAX_BAR_WIDTH = 26;
    private static final double LABEL_CHAR_WIDTH = 7;

    private FunnelChart() {}

    static String svg(List<StepFigures> steps) {
        double width = Math.max(WIDTH, 72 + 16 + steps.size() * MIN_GROUP_WIDTH);
        ChartFrame frame = new ChartFrame("funnel", width, 340, 72, 40, 16, 52);
        long highest = steps.stream()
                .flatMapToLong(step -> METRICS.stream().mapToLong(m -> m.value().applyAsLong(step)))
                .max().orElse(0);
        AxisScale scale = AxisScale.covering(highest);

        StringBuilder svg = new StringBuilder();
        frame.open(svg, width > WIDTH ? "wide" : "fit", "Funnel per step", description(steps));
        frame.legend(svg, METRICS.stream().map(Metric::series).toList());
        frame.countAxis(svg, scale, "Messages");
        if (steps.isEmpty() || highest == 0) {
            frame.note(svg, "Nothing was scheduled or sent in this range.");
        }

        double group = frame.plotWidth() / Math.max(1, steps.size());
        double bar = Math.min(MAX_BAR_WIDTH, group * 0.8 / METRICS.size());
        for (int i = 0; i < steps.size(); i++) {
            StepFigures step = steps.get(i);
            double groupLeft = frame.plotLeft() + i * group;
            double barsLeft = groupLeft + (group - bar * METRICS.size()) / 2;
            svg.append("<g class=\"step\"><title>").append(Html.text(summary(step))).append("</title>");
            for (int m = 0; m < METRICS.size(); m++) {
                Metric metric = METRICS.get(m);
                long value = metric.value().applyAsLong(step);
                double top = frame.y(scale, value);
                svg.append("<rect x=\"").append(num(barsLeft + m * bar)).append("\" y=\"").append(num(top))
                        .append("\" width=\"").append(num(bar - 1)).append("\" height=\"")
                        .append(num(frame.plotBottom() - top)).append("\" fill=\"").append(metric.series().colour())
                        .append("\"><title>").append(Html.text(name(step) + ": " + FigureText.count(value) + " "
                                + metric.series().label().toLowerCase(java.util.Locale.ENGLISH)))
                        .append("</title></rect>");
            }
            String label = Html.shortened(name(step), (int) (group / LABEL_CHAR_WIDTH));
            svg.append("<text class=\"label\" x=\"").append(num(groupLeft + group / 2)).append("\" y=\"")
                    .append(num(frame.plotBottom() + 20)).append("\" text-anchor=\"middle\">").append(Html.text(label))
                    .append("</text></g>");
        }
        frame.close(svg);
        return svg.toString();
    }

    /** The step as the chart names it: its position and id, or its id marked as no longer in the sequence. */
    static String name(StepFigures step) {
        return step.position().map(p -> p + ". " + step.stepId()).orElse(step.stepId() + " (removed)");
    }

    private static String summary(StepFigures step) {
        return name(step) + ": " + FigureText.count(step.scheduled()) + " scheduled, " + FigureText.count(step.sent())
                + " sent, " + FigureText.count(step.delivered()) + " delivered, " + FigureText.count(step.read())
                + " read, " + FigureText.count(step.clicked()) + " clicked";
    }

    private static String description(List<StepFigures> steps) {
        if (steps.isEmpty()) {
            return "No steps.";
        }
        StringBuilder text = new StringBuilder("Messages scheduled, sent, delivered, read and clicked, per step. ");
        steps.forEach(step -> text.append(summary(step)).append(". "));
        return text.toString().trim();
    }
}
