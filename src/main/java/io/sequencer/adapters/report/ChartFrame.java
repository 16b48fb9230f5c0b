package io.sequencer.adapters.report;

import java.util.List;
import java.util.Locale;

/**
 * The box of one inline SVG chart and what every chart draws around its plot: the accessible title and description,
 * the legend, and the count axis with its grid. Coordinates are in the SVG's own units; the page scales it to fit.
 */
record ChartFrame(String id, double width, double height, double left, double top, double right, double bottom) {
    /** A named, coloured line or bar kind of a chart. */
    record Series(String label, String colour) {}

    double plotLeft() {
        return left;
    }

    double plotRight() {
        return width - right;
    }

    double plotWidth() {
        return width - left - right;
    }

    double plotTop() {
        return top;
    }

    double plotBottom() {
        return height - bottom;
    }

    double plotHeight() {
        return height - top - bottom;
    }

    double y(AxisScale scale, long value) {
        return plotBottom() - scale.fraction(value) * plotHeight();
    }

    /** Opens the SVG; screen readers read {@code title} and {@code description} in place of the drawing. */
    void open(StringBuilder svg, String cssClass, String title, String description) {
        svg.append("<svg class=\"").append(cssClass).append("\" viewBox=\"0 0 ").append(num(width)).append(' ')
                .append(num(height)).append("\" width=\"").append(num(width)).append("\" height=\"").append(num(height))
                .append("\" role=\"img\" aria-labelledby=\"").append(id).append("-title ").append(id).append("-desc\">")
                .append("<title id=\"").append(id).append("-title\">").append(Html.text(title)).append("</title>")
                .append("<desc id=\"").append(id).append("-desc\">").append(Html.text(description)).append("</desc>");
    }

    void close(StringBuilder svg) {
        svg.append("</svg>");
    }

    /** The legend, in a row above the plot. */
    void legend(StringBuilder svg, List<Series> series) {
        svg.append("<g class=\"legend\" aria-hidden=\"true\">");
        double x = left;
        for (Series s : series) {
            svg.append("<rect x=\"").append(num(x)).append("\" y=\"8\" width=\"12\" height=\"12\" rx=\"2\" fill=\"")
                    .append(s.colour()).append("\"/>")
                    .append("<text x=\"").append(num(x + 17)).append("\" y=\"18\">").append(Html.text(s.label()))
                    .append("</text>");
            x += 32 + 7 * s.label().length(); // about the width of the label at 13px
        }
        svg.append("</g>");
    }

    /** Grid lines and labels at each tick of {@code scale}, and the axis's name beside it. */
    void countAxis(StringBuilder svg, AxisScale scale, String name) {
        svg.append("<g class=\"axis\">");
        for (long tick : scale.ticks()) {
            double y = y(scale, tick);
            svg.append("<line class=\"").append(tick == 0 ? "base" : "grid").append("\" x1=\"").append(num(plotLeft()))
                    .append("\" x2=\"").append(num(plotRight())).append("\" y1=\"").append(num(y)).append("\" y2=\"")
                    .append(num(y)).append("\"/>")
                    .append("<text class=\"tick\" x=\"").append(num(plotLeft() - 8)).append("\" y=\"").append(num(y + 4))
                    .append("\" text-anchor=\"end\">").append(FigureText.compact(tick)).append("</text>");
        }
        svg.append("<text class=\"name\" transform=\"translate(14 ").append(num(plotTop() + plotHeight() / 2))
                .append(") rotate(-90)\" text-anchor=\"middle\">").append(Html.text(name)).append("</text>");
        svg.append("</g>");
    }

    /** A note in the middle of the plot, for a chart with nothing to draw. */
    void note(StringBuilder svg, String text) {
        svg.append("<text class=\"note\" x=\"").append(num(plotLeft() + plotWidth() / 2)).append("\" y=\"")
                .append(num(plotTop() + plotHeight() / 2)).append("\" text-anchor=\"middle\">").append(Html.text(text))
                .append("</text>");
    }

    /** A coordinate with at most one decimal and a dot, whatever the JVM's locale. */
    static String num(double value) {
        String text = String.format(Locale.ROOT, "%.1f", value);
        return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
    }
}
