package io.sequencer.domain.report;

import java.util.Optional;

/**
 * The two-proportion z-test and the 95 % confidence interval of a difference of proportions, as statistics
 * textbooks give them (e.g. OpenIntro Statistics, 4th ed., section 6.2): the test uses the pooled proportion, the
 * interval the unpooled standard error. Both rest on the normal approximation, which needs enough of each outcome
 * in each group, so a comparison below {@link #MIN_SAMPLE} subjects or {@link #MIN_OUTCOMES} successes or failures
 * in either group says "not enough data" instead of a figure that would mislead.
 */
public final class TwoProportions {
    /** Subjects each group needs before the two are compared. */
    public static final long MIN_SAMPLE = 30;
    /** Successes, and failures, each group needs (the textbooks' success-failure condition, n·p ≥ 5). */
    public static final long MIN_OUTCOMES = 5;
    /** The z value of a two-sided 95 % interval. */
    static final double Z_95 = 1.959963984540054;
    /** A difference is called significant at this two-sided p-value or below. */
    public static final double ALPHA = 0.05;

    private TwoProportions() {}

    /** What a comparison of a treatment group with a control group found. */
    public sealed interface Outcome {}

    /** Too few subjects or outcomes for the normal approximation: no figure is given. */
    public record NotEnoughData(String reason) implements Outcome {}

    /**
     * The comparison: {@code difference} is the treatment's rate minus the control's, with its 95 % interval
     * {@code lower}..{@code upper}; {@code relativeLift} the difference over the control's rate (empty when that is
     * 0); {@code z} and the two-sided {@code pValue} of the pooled test; {@code significant} when {@code pValue} is at
     * most {@link #ALPHA}.
     */
    public record Compared(double difference, double lower, double upper, Optional<Double> relativeLift, double z,
                           double pValue, boolean significant) implements Outcome {}

    /** Compares {@code treatedSuccesses} of {@code treated} with {@code controlSuccesses} of {@code control}. */
    public static Outcome compare(long treatedSuccesses, long treated, long controlSuccesses, long control) {
        if (treatedSuccesses < 0 || controlSuccesses < 0 || treatedSuccesses > treated || controlSuccesses > control) {
            throw new IllegalArgumentException("successes are between 0 and the group's size");
        }
        if (treated < MIN_SAMPLE || control < MIN_SAMPLE) {
            return new NotEnoughData("each group needs at least " + MIN_SAMPLE + " subjects");
        }
        if (Math.min(treatedSuccesses, controlSuccesses) < MIN_OUTCOMES
                || Math.min(treated - treatedSuccesses, control - controlSuccesses) < MIN_OUTCOMES) {
            return new NotEnoughData("each group needs at least " + MIN_OUTCOMES + " conversions and " + MIN_OUTCOMES
                    + " subjects without one");
        }
        double p1 = (double) treatedSuccesses / treated;
        double p2 = (double) controlSuccesses / control;
        double difference = p1 - p2;
        double unpooled = Math.sqrt(p1 * (1 - p1) / treated + p2 * (1 - p2) / control);
        double pooled = (double) (treatedSuccesses + controlSuccesses) / (treated + control);
        double pooledError = Math.sqrt(pooled * (1 - pooled) * (1.0 / treated + 1.0 / control));
        double z = difference / pooledError;
        double pValue = Math.min(1.0, 2 * upperTail(Math.abs(z)));
        Optional<Double> relative = p2 == 0 ? Optional.empty() : Optional.of(difference / p2);
        return new Compared(difference, difference - Z_95 * unpooled, difference + Z_95 * unpooled, relative, z,
                pValue, pValue <= ALPHA);
    }

    /**
     * P(Z > z) of the standard normal, from the complementary error function.
     */
    static double upperTail(double z) {
        return 0.5 * erfc(z / Math.sqrt(2));
    }

    /** erfc(x), Numerical Recipes' {@code erfcc} (Chebyshev fit, fractional error below 1.2e-7 everywhere). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double ans = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2.0 - ans;
    }
}
