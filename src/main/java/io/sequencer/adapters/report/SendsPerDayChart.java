package io.sequencer.adapters.report;

import static io.sequencer.adapters.report.ChartFrame.num;

import io.sequencer.domain.report.SequenceReport.DayFigures;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Messages sent, read, clicked and failed per day as lines. Each day's column holds a tooltip with its figures, so a
 * reader can point at any day, even where lines overlap. One day is drawn as dots; no day at all as an empty frame.
 */
final class SendsPerDayChart {
    private record Line(ChartFrame.Series series, ToLongFunction<DayFigures> value) {}

    private static final List<Line> LINES = List.of(
            new Line(new ChartFrame.Series("Sent", "#0072b2"), DayFigures::sent),
            new Line(new ChartFrame.Series("Read", "#009e73"), DayFigures::read),
            new Line(new ChartFrame.Series("Clicked", "#e69f00"), DayFigures::clicked),
            new Line(new ChartFrame.Series("Failed", "#d55e00"), DayFigures::failed));
    /** Up to this many days each day gets a dot; beyond, dots would only blur the lines. */
    private static final int MAX_DAYS_WITH_DOTS = 62;
    private static final int MAX_DAY_LABELS = 9;
    private static final int[] DAY_LABEL_STEPS = {1, 2, 7, 14};

    private SendsPerDayChart() {}

    static String svg(List<DayFigures> days) {
        ChartFrame frame = new ChartFrame("sends", 960, 320, 72, 40, 24, 40);
        long highest = days.stream()
                .flatMapToLong(day -> LINES.stream().mapToLong(line -> line.value().applyAsLong(day)))
                .max().orElse(0);
        AxisScale scale = AxisScale.covering(highest);

        StringBuilder svg = new StringBuilder();
        frame.open(svg, "fit", "Sends per day", description(days));
        frame.legend(svg, LINES.stream().map(Line::series).toList());
        frame.countAxis(svg, scale, "Messages per day");
        if (days.isEmpty()) {
            frame.note(svg, "No activity in this range.");
            frame.close(svg);
            return svg.toString();
        }
        dayAxis(svg, frame, days);
        dayColumns(svg, frame, days);
        if (highest == 0) { // flat lines on the axis would only hide one another
            frame.note(svg, "No activity on these days.");
            frame.close(svg);
            return svg.toString();
        }
        if (days.size() > 1) {
            area(svg, frame, scale, days, LINES.get(0));
        }
        for (Line line : LINES) {
            if (days.size() > 1) {
                svg.append("<polyline class=\"line\" fill=\"none\" stroke=\"").append(line.series().colour())
                        .append("\" points=\"").append(points(frame, scale, days, line)).append("\"/>");
            }
            if (days.size() <= MAX_DAYS_WITH_DOTS) {
                dots(svg, frame, scale, days, line);
            }
        }
        frame.close(svg);
        return svg.toString();
    }

    private static double x(ChartFrame frame, int index, int count) {
        return count == 1 ? frame.plotLeft() + frame.plotWidth() / 2
                : frame.plotLeft() + index * frame.plotWidth() / (count - 1);
    }

    /** A faint area under the sent line, so the main figure reads at a glance. */
    private static void area(StringBuilder svg, ChartFrame frame, AxisScale scale, List<DayFigures> days, Line line) {
        svg.append("<polygon class=\"area\" fill=\"").append(line.series().colour()).append("\" points=\"")
                .append(num(x(frame, 0, days.size()))).append(',').append(num(frame.plotBottom())).append(' ')
                .append(points(frame, scale, days, line)).append(' ')
                .append(num(x(frame, days.size() - 1, days.size()))).append(',').append(num(frame.plotBottom()))
                .append("\"/>");
    }

    private static String points(ChartFrame frame, AxisScale scale, List<DayFigures> days, Line line) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < days.size(); i++) {
            points.append(i == 0 ? "" : " ").append(num(x(frame, i, days.size()))).append(',')
                    .append(num(frame.y(scale, line.value().applyAsLong(days.get(i)))));
        }
        return points.toString();
    }

    private static void dots(StringBuilder svg, ChartFrame frame, AxisScale scale, List<DayFigures> days, Line line) {
        svg.append("<g fill=\"").append(line.series().colour()).append("\" aria-hidden=\"true\">");
        for (int i = 0; i < days.size(); i++) {
            svg.append("<circle cx=\"").append(num(x(frame, i, days.size()))).append("\" cy=\"")
                    .append(num(frame.y(scale, line.value().applyAsLong(days.get(i))))).append("\" r=\"3\"/>");
        }
        svg.append("</g>");
    }

    /** An invisible column per day, shaded on hover, whose tooltip lists the day's figures. */
    private static void dayColumns(StringBuilder svg, ChartFrame frame, List<DayFigures> days) {
        double column = days.size() == 1 ? frame.plotWidth() : frame.plotWidth() / (days.size() - 1);
        svg.append("<g class=\"days\">");
        for (int i = 0; i < days.size(); i++) {
            double left = Math.max(frame.plotLeft(), x(frame, i, days.size()) - column / 2);
            double right = Math.min(frame.plotRight(), x(frame, i, days.size()) + column / 2);
            svg.append("<rect class=\"day\" x=\"").append(num(left)).append("\" y=\"").append(num(frame.plotTop()))
                    .append("\" width=\"").append(num(right - left)).append("\" height=\"")
                    .append(num(frame.plotHeight())).append("\"><title>").append(Html.text(summary(days.get(i))))
                    .append("</title></rect>");
        }
        svg.append("</g>");
    }

    private static void dayAxis(StringBuilder svg, ChartFrame frame, List<DayFigures> days) {
        svg.append("<g class=\"axis\">");
        List<Integer> labelled = labelledDays(days.stream().map(DayFigures::day).toList());
        for (int n = 0; n < labelled.size(); n++) {
            int i = labelled.get(n);
            LocalDate day = days.get(i).day();
            String label = byMonth(days.size()) ? FigureText.month(day, n == 0 || day.getMonthValue() == 1)
                    : FigureText.shortDay(day);
            double x = x(frame, i, days.size());
            svg.append("<line class=\"tickmark\" x1=\"").append(num(x)).append("\" x2=\"").append(num(x))
                    .append("\" y1=\"").append(num(frame.plotBottom())).append("\" y2=\"")
                    .append(num(frame.plotBottom() + 5)).append("\"/>")
                    .append("<text class=\"tick\" x=\"").append(num(x)).append("\" y=\"")
                    .append(num(frame.plotBottom() + 20)).append("\" text-anchor=\"middle\">").append(Html.text(label))
                    .append("</text>");
        }
        svg.append("</g>");
    }

    /**
     * Which days get a label: every 1st, 2nd, 7th or 14th day from the first, the smallest step that keeps the labels
     * to a handful; over longer spans, the first of each month.
     */
    static List<Integer> labelledDays(List<LocalDate> days) {
        List<Integer> labelled = new ArrayList<>();
        if (byMonth(days.size())) {
            for (int i = 0; i < days.size(); i++) {
                if (days.get(i).getDayOfMonth() == 1) {
                    labelled.add(i);
                }
            }
            return labelled;
        }
        for (int step : DAY_LABEL_STEPS) {
            if ((days.size() + step - 1) / step <= MAX_DAY_LABELS) {
                for (int i = 0; i < days.size(); i += step) {
                    labelled.add(i);
                }
                return labelled;
            }
        }
        throw new IllegalStateException("unreachable: spans too long for the widest step are labelled by month");
    }

    private static boolean byMonth(int dayCount) {
        return dayCount > MAX_DAY_LABELS * DAY_LABEL_STEPS[DAY_LABEL_STEPS.length - 1];
    }

    private static String summary(DayFigures day) {
        return FigureText.weekdayAndDay(day.day()) + ": " + FigureText.count(day.sent()) + " sent, "
                + FigureText.count(day.delivered()) + " delivered, " + FigureText.count(day.read()) + " read, "
                + FigureText.count(day.clicked()) + " clicked, " + FigureText.count(day.failed()) + " failed, "
                + FigureText.count(day.skipped()) + " skipped; " + FigureText.count(day.enrolled()) + " enrolled";
    }

    private static String description(List<DayFigures> days) {
        if (days.isEmpty()) {
            return "No activity in this range.";
        }
        long sent = days.stream().mapToLong(DayFigures::sent).sum();
        DayFigures peak = days.stream().reduce((a, b) -> b.sent() > a.sent() ? b : a).orElseThrow();
        String span = days.size() == 1 ? FigureText.day(days.get(0).day())
                : FigureText.day(days.get(0).day()) + " to " + FigureText.day(days.get(days.size() - 1).day());
        return "Messages sent, read, clicked and failed per day, " + span + ": " + FigureText.count(sent)
                + " sent in all" + (peak.sent() > 0 ? ", the most (" + FigureText.count(peak.sent()) + ") on "
                + FigureText.day(peak.day()) : "") + ".";
    }
}
