package io.sequencer.adapters.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A count axis from 0 to a round top, ticked every 1, 2 or 5 times a power of ten. The top is at least 1, so an
 * all-zero chart still has an axis and nothing divides by zero.
 */
record AxisScale(long top, long step) {
    private static final int ABOUT_TICKS = 5;

    static AxisScale covering(long highest) {
        long target = Math.max(1, highest);
        long step = roundStep((double) target / ABOUT_TICKS);
        long top = (target + step - 1) / step * step;
        return new AxisScale(top, step);
    }

    /** The smallest of 1, 2, 5, 10, 20, 50, … not below {@code rough}; counts never tick below 1. */
    private static long roundStep(double rough) {
        long power = 1;
        while (true) {
            for (long nice : new long[] {1, 2, 5}) {
                if (nice * power >= rough) {
                    return nice * power;
                }
            }
            power *= 10;
        }
    }

    List<Long> ticks() {
        List<Long> ticks = new ArrayList<>();
        for (long tick = 0; tick <= top; tick += step) {
            ticks.add(tick);
        }
        return ticks;
    }

    /** Where {@code value} falls between 0 (the axis's foot) and 1 (its top). */
    double fraction(long value) {
        return (double) value / top;
    }
}
