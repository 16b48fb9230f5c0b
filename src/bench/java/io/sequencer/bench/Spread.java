package io.sequencer.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The median of several runs of one figure, with the smallest and largest beside it. */
record Spread(double median, double min, double max, int runs) {

    static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Spread(median, sorted.get(0), sorted.get(n - 1), n);
    }

    /** The spread of those of {@code values} that could be measured (not NaN); no runs when none could. */
    static Spread ofKnown(List<Double> values) {
        return of(values.stream().filter(v -> !Double.isNaN(v)).toList());
    }

    static Spread of(double... values) {
        List<Double> list = new ArrayList<>();
        for (double v : values) {
            list.add(v);
        }
        return of(list);
    }

    /** "median (min-max, n runs)" with {@code decimals} places. */
    String format(int decimals) {
        if (runs == 0) {
            return "n/a";
        }
        String f = "%." + decimals + "f";
        String m = String.format(f, median);
        return runs == 1 ? m + " (1 run)"
                : m + " (" + String.format(f, min) + "-" + String.format(f, max) + ", " + runs + " runs)";
    }
}
