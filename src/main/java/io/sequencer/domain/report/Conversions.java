package io.sequencer.domain.report;

import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.sequence.Experiment;
import io.sequencer.domain.sequence.SplitPath;
import io.sequencer.domain.sequence.Variant;
import io.sequencer.domain.subscriber.Engagement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The A/B and holdout side of a sequence's report, read off its tally: each variant's exposures and conversions
 * compared with the step's first variant, and the holdout's conversions compared with the treated enrollments'.
 * A variant's rates are of its exposures (those sent it, or taken down its path); the holdout's of enrollments.
 */
public final class Conversions {
    private Conversions() {}

    /**
     * One variant of a step (or one path of a split, named by the step it goes to). {@code weight} is the current
     * definition's, empty for a variant since removed. {@code versusFirst} compares its conversion rate with the
     * first variant's; empty for the first itself.
     */
    public record VariantFigures(String id, Optional<Integer> weight, long exposed, long clicked, long converted,
                                 long unsubscribed, Optional<TwoProportions.Outcome> versusFirst) {
        public Optional<Double> conversionRate() {
            return Rates.of(converted, exposed);
        }

        public Optional<Double> unsubscribeRate() {
            return Rates.of(unsubscribed, exposed);
        }

        public Optional<Double> clickRate() {
            return Rates.of(clicked, exposed);
        }
    }

    /**
     * The control group: {@code percent} as defined now; goal conversions of the enrollments held out and of the
     * others (treated), and {@code lift}, the treated rate minus the held-out one with its confidence interval.
     */
    public record HoldoutFigures(int percent, long heldOut, long heldOutConverted, long treated, long treatedConverted,
                                 TwoProportions.Outcome lift) {
        public Optional<Double> heldOutRate() {
            return Rates.of(heldOutConverted, heldOut);
        }

        public Optional<Double> treatedRate() {
            return Rates.of(treatedConverted, treated);
        }
    }

    /** The variants of {@code stepId}: the definition's in order, then any that has counts but is no longer defined. */
    static List<VariantFigures> variants(String stepId, Optional<Experiment> defined, Tally t) {
        Map<String, Optional<Integer>> ids = new LinkedHashMap<>();
        defined.ifPresent(e -> {
            for (Variant v : e.variants()) {
                ids.put(v.id(), Optional.of(v.weight()));
            }
            for (SplitPath p : e.split()) {
                ids.put(p.goTo(), Optional.of(p.weight()));
            }
        });
        String prefix = Tally.step(stepId, Tally.VARIANT, "");
        for (String name : t.counts().keySet()) {
            if (name.startsWith(prefix)) {
                ids.putIfAbsent(name.substring(prefix.length()).split("\\|", 2)[0], Optional.empty());
            }
        }
        List<VariantFigures> out = new ArrayList<>();
        for (Map.Entry<String, Optional<Integer>> id : ids.entrySet()) {
            long exposed = t.get(Tally.variant(stepId, id.getKey(), Tally.EXPOSED));
            long converted = t.get(Tally.variant(stepId, id.getKey(), Tally.CONVERTED));
            Optional<TwoProportions.Outcome> test = out.isEmpty() ? Optional.empty()
                    : Optional.of(compare(converted, exposed, out.get(0).converted(), out.get(0).exposed()));
            out.add(new VariantFigures(id.getKey(), id.getValue(), exposed,
                    t.get(Tally.variant(stepId, id.getKey(), Engagement.CLICKED.wireName())), converted,
                    t.get(Tally.variant(stepId, id.getKey(), Tally.UNSUBSCRIBED)), test));
        }
        return out;
    }

    /** The holdout's figures, when the sequence has one now or had enrollments held out in the counts. */
    static Optional<HoldoutFigures> holdout(int percent, Tally t) {
        long heldOut = t.get(Tally.heldOut(Tally.ENROLLED));
        if (percent == 0 && heldOut == 0) {
            return Optional.empty();
        }
        long heldOutConverted = t.get(Tally.heldOut(Tally.left(LeaveReason.GOAL)));
        long treated = Math.max(0, t.get(Tally.ENROLLED) - heldOut);
        long treatedConverted = Math.max(0, t.get(Tally.left(LeaveReason.GOAL)) - heldOutConverted);
        return Optional.of(new HoldoutFigures(percent, heldOut, heldOutConverted, treated, treatedConverted,
                compare(treatedConverted, treated, heldOutConverted, heldOut)));
    }

    /**
     * A report range may cut a life in two (enrolled before it, converted in it), so a count of successes can exceed
     * its group's within a range; such a comparison is clipped rather than refused.
     */
    private static TwoProportions.Outcome compare(long successes, long n, long controlSuccesses, long controlN) {
        return TwoProportions.compare(Math.min(successes, n), n, Math.min(controlSuccesses, controlN), controlN);
    }
}
