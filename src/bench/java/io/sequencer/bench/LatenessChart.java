package io.sequencer.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Lateness percentiles against the offered rate, as a PNG. */
final class LatenessChart {
    private LatenessChart() {}

    /** One point per offered rate: the median over runs of each percentile, in milliseconds. */
    record Point(double offeredRate, double p50, double p95, double p99, double max) {}

    static void write(List<Point> points, double maxRate, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500)
                .title(String.format("Lateness vs offered rate (measured maximum %.0f deliveries/s)", maxRate))
                .xAxisTitle("offered rate (steps due per second)").yAxisTitle("lateness (ms, sink arrival - dueAt)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        double[] x = points.stream().mapToDouble(Point::offeredRate).toArray();
        add(chart, "p50", x, points.stream().mapToDouble(Point::p50).toArray());
        add(chart, "p95", x, points.stream().mapToDouble(Point::p95).toArray());
        add(chart, "p99", x, points.stream().mapToDouble(Point::p99).toArray());
        add(chart, "max", x, points.stream().mapToDouble(Point::max).toArray());
        png.toAbsolutePath().getParent().toFile().mkdirs();
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Draws the chart again from figures already recorded: {@code rate:p50:p95:p99:max} per point, the measured
     * maximum and the output file, e.g. {@code 57:411:791:911:1095 113:3197:4563:4810:4892 113 docs/benchmarks/lateness.png}.
     */
    public static void main(String[] args) throws IOException {
        List<Point> points = new java.util.ArrayList<>();
        for (int i = 0; i < args.length - 2; i++) {
            double[] v = java.util.Arrays.stream(args[i].split(":")).mapToDouble(Double::parseDouble).toArray();
            points.add(new Point(v[0], v[1], v[2], v[3], v[4]));
        }
        write(points, Double.parseDouble(args[args.length - 2]), Path.of(args[args.length - 1]));
    }

    private static void add(XYChart chart, String name, double[] x, double[] y) {
        double[] positive = java.util.Arrays.stream(y).map(v -> Math.max(1, v)).toArray();
        chart.addSeries(name, x, positive).setMarker(SeriesMarkers.CIRCLE);
    }
}
