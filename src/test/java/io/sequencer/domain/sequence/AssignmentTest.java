package io.sequencer.domain.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Sticky A/B and holdout assignment: even shares, the same answer every time. */
class AssignmentTest {
    private static final int SUBSCRIBERS = 2_000;
    private static final Experiment HALVES = new Experiment(
            List.of(new Variant("a", 50, "{\"text\":\"A\"}"), new Variant("b", 50, "{\"text\":\"B\"}")), List.of());

    private static List<String> variants(Experiment experiment, String stepId) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            out.add(experiment.variantFor(Assignment.step("acme", "welcome", "sub-" + i, stepId)).orElseThrow().id());
        }
        return out;
    }

    private static double share(List<String> assigned, String id) {
        return (double) assigned.stream().filter(id::equals).count() / assigned.size();
    }

    @Test
    void two_thousand_subscribers_through_a_50_50_split_land_within_46_to_54_per_cent_each() {
        List<String> assigned = variants(HALVES, "offer");
        assertThat(share(assigned, "a")).isBetween(0.46, 0.54);
        assertThat(share(assigned, "b")).isBetween(0.46, 0.54);
    }

    @Test
    void a_rerun_assigns_every_subscriber_the_same_variant() {
        assertThat(variants(HALVES, "offer")).isEqualTo(variants(HALVES, "offer"));
    }

    @Test
    void an_edit_that_keeps_the_weights_keeps_the_assignment() {
        Experiment edited = new Experiment(List.of(new Variant("a", 50, "{\"text\":\"A, reworded\"}"),
                new Variant("b", 50, "{\"text\":\"B, reworded\"}")), List.of());
        assertThat(variants(edited, "offer")).isEqualTo(variants(HALVES, "offer"));
    }

    @Test
    void a_split_branches_by_its_weights() {
        Experiment split = new Experiment(List.of(), List.of(new SplitPath(70, "long"), new SplitPath(30, "short")));
        long toLong = IntStream.range(0, SUBSCRIBERS)
                .filter(i -> split.pathFor(Assignment.step("acme", "welcome", "sub-" + i, "fork")).orElseThrow()
                        .goTo().equals("long")).count();
        assertThat((double) toLong / SUBSCRIBERS).isBetween(0.66, 0.74);
    }

    @Test
    void each_step_draws_on_its_own_so_one_test_does_not_decide_the_next() {
        List<String> first = variants(HALVES, "offer");
        List<String> second = variants(HALVES, "reminder");
        long same = IntStream.range(0, SUBSCRIBERS).filter(i -> first.get(i).equals(second.get(i))).count();
        assertThat((double) same / SUBSCRIBERS).isBetween(0.45, 0.55);
    }

    @Test
    void a_ten_per_cent_holdout_keeps_8_5_to_11_5_per_cent_and_the_same_ones_each_time() {
        List<Integer> heldOut = IntStream.range(0, SUBSCRIBERS)
                .filter(i -> Assignment.heldOut("acme", "welcome", "sub-" + i, 10)).boxed().toList();
        assertThat((double) heldOut.size() / SUBSCRIBERS).isBetween(0.085, 0.115);
        assertThat(IntStream.range(0, SUBSCRIBERS)
                .filter(i -> Assignment.heldOut("acme", "welcome", "sub-" + i, 10)).boxed().toList()).isEqualTo(heldOut);
    }

    @Test
    void no_holdout_holds_no_one_out_and_a_larger_one_keeps_everyone_a_smaller_one_held() {
        assertThat(IntStream.range(0, SUBSCRIBERS).filter(i -> Assignment.heldOut("acme", "w", "s" + i, 0))).isEmpty();
        IntStream.range(0, SUBSCRIBERS).filter(i -> Assignment.heldOut("acme", "w", "s" + i, 10))
                .forEach(i -> assertThat(Assignment.heldOut("acme", "w", "s" + i, 20)).isTrue());
    }

    @Test
    void points_lie_in_the_unit_interval() {
        IntStream.range(0, 500).forEach(i -> assertThat(Assignment.point(Assignment.step("a", "s", "x" + i, "st")))
                .isGreaterThanOrEqualTo(0.0).isLessThan(1.0));
    }
}
