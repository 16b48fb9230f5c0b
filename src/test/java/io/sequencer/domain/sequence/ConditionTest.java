package io.sequencer.domain.sequence;

import static io.sequencer.domain.subscriber.AttributeOperator.AFTER;
import static io.sequencer.domain.subscriber.AttributeOperator.BEFORE;
import static io.sequencer.domain.subscriber.AttributeOperator.BEGINS_WITH;
import static io.sequencer.domain.subscriber.AttributeOperator.CONTAINS;
import static io.sequencer.domain.subscriber.AttributeOperator.EXISTS;
import static io.sequencer.domain.subscriber.AttributeOperator.IS;
import static io.sequencer.domain.subscriber.AttributeOperator.IS_NOT;
import static io.sequencer.domain.subscriber.AttributeOperator.ON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.Invalid;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.subscriber.AttributeOperator;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Attributes;
import io.sequencer.domain.subscriber.Engagement;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConditionTest {
    private static final Instant AT = Instant.parse("2026-03-01T09:00:00Z");
    private static final StepRef PREVIOUS = new StepRef.Previous();

    // ---- step tests

    @Test
    void previous_is_the_last_record_whatever_its_outcome() {
        List<StepRecord> history = List.of(sent("welcome", Engagement.CLICKED), skipped("tips"));
        assertThat(holds(was(PREVIOUS, Engagement.DELIVERED), history)).isFalse();
        assertThat(holds(wasNot(PREVIOUS, Engagement.DELIVERED), history)).isTrue();
        assertThat(holds(was(PREVIOUS, Engagement.CLICKED), List.of(skipped("tips"), sent("welcome", Engagement.CLICKED))))
                .isTrue();
    }

    @Test
    void a_named_step_is_judged_by_its_own_record_not_the_last_one() {
        List<StepRecord> history = List.of(sent("welcome", Engagement.CLICKED), sent("tips"));
        assertThat(holds(was(named("welcome"), Engagement.CLICKED), history)).isTrue();
        assertThat(holds(was(PREVIOUS, Engagement.CLICKED), history)).isFalse();
    }

    @Test
    void a_step_recorded_twice_is_judged_by_its_latest_record() {
        List<StepRecord> history = List.of(sent("welcome", Engagement.CLICKED), sent("welcome"));
        assertThat(holds(was(named("welcome"), Engagement.CLICKED), history)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Engagement.class)
    void each_engagement_holds_once_reported(Engagement engagement) {
        assertThat(holds(was(PREVIOUS, engagement), List.of(sent("a", engagement)))).isTrue();
        assertThat(holds(wasNot(PREVIOUS, engagement), List.of(sent("a", engagement)))).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Engagement.class)
    void a_sent_step_without_reports_has_no_engagement(Engagement engagement) {
        assertThat(holds(was(PREVIOUS, engagement), List.of(sent("a")))).isFalse();
        assertThat(holds(wasNot(PREVIOUS, engagement), List.of(sent("a")))).isTrue();
    }

    @Test
    void a_click_implies_read_and_delivered_but_not_replied() {
        List<StepRecord> history = List.of(sent("a", Engagement.CLICKED));
        assertThat(holds(was(PREVIOUS, Engagement.READ), history)).isTrue();
        assertThat(holds(was(PREVIOUS, Engagement.DELIVERED), history)).isTrue();
        assertThat(holds(was(PREVIOUS, Engagement.REPLIED), history)).isFalse();
    }

    @Test
    void a_reply_implies_read_and_delivered_but_not_clicked() {
        List<StepRecord> history = List.of(sent("a", Engagement.REPLIED));
        assertThat(holds(was(PREVIOUS, Engagement.READ), history)).isTrue();
        assertThat(holds(was(PREVIOUS, Engagement.DELIVERED), history)).isTrue();
        assertThat(holds(was(PREVIOUS, Engagement.CLICKED), history)).isFalse();
    }

    @Test
    void a_delivery_alone_is_not_a_read() {
        List<StepRecord> history = List.of(sent("a", Engagement.DELIVERED));
        assertThat(holds(was(PREVIOUS, Engagement.READ), history)).isFalse();
        assertThat(holds(wasNot(PREVIOUS, Engagement.READ), history)).isTrue();
    }

    @Test
    void a_step_never_reached_was_nothing_so_every_negated_test_holds() {
        assertThat(holds(was(named("later"), Engagement.DELIVERED), List.of(sent("a", Engagement.CLICKED)))).isFalse();
        assertThat(holds(wasNot(named("later"), Engagement.CLICKED), List.of(sent("a", Engagement.CLICKED)))).isTrue();
        assertThat(holds(was(PREVIOUS, Engagement.DELIVERED), List.of())).isFalse();
        assertThat(holds(wasNot(PREVIOUS, Engagement.DELIVERED), List.of())).isTrue();
    }

    @Test
    void a_skipped_step_was_not_delivered() {
        assertThat(holds(was(named("a"), Engagement.DELIVERED), List.of(skipped("a")))).isFalse();
        assertThat(holds(wasNot(named("a"), Engagement.CLICKED), List.of(skipped("a")))).isTrue();
    }

    @Test
    void a_named_step_must_be_a_valid_id() {
        assertThatThrownBy(() -> new StepRef.Named("a/b")).isInstanceOfSatisfying(Invalid.class,
                e -> assertThat(e.errors().get(0).field()).isEqualTo("step"));
    }

    // ---- is and is_not

    @Test
    void is_compares_text_case_insensitively() {
        assertThat(test("city", IS, text("berlin"), text("Berlin"))).isTrue();
        assertThat(test("city", IS, text("BERLIN"), text("Berlin"))).isTrue();
        assertThat(test("city", IS, text("Bern"), text("Berlin"))).isFalse();
    }

    @Test
    void is_compares_numbers_by_value_not_scale() {
        assertThat(test("score", IS, number("1.5"), number("1.50"))).isTrue();
        assertThat(test("score", IS, number("2"), number("1.5"))).isFalse();
    }

    @Test
    void is_compares_flags() {
        assertThat(test("vip", IS, flag(true), flag(true))).isTrue();
        assertThat(test("vip", IS, flag(false), flag(true))).isFalse();
    }

    @Test
    void is_compares_numeric_text_with_a_number_by_value() {
        assertThat(test("age", IS, number("42"), text("42.0"))).isTrue();
        assertThat(test("age", IS, text("42"), number("42.00"))).isTrue();
        assertThat(test("age", IS, number("42"), text("forty-two"))).isFalse();
        assertThat(test("age", IS, text("1e2"), number("100"))).isTrue();
    }

    @Test
    void is_on_a_list_holds_when_an_element_equals_the_operand() {
        assertThat(test("tags", IS, text("vip"), list("beta", "VIP"))).isTrue();
        assertThat(test("tags", IS, text("gamma"), list("beta", "VIP"))).isFalse();
        assertThat(test("tags", IS, number("7"), list("beta", "7"))).isTrue();
    }

    @Test
    void is_does_not_hold_across_other_type_mixes() {
        assertThat(test("vip", IS, text("true"), flag(true))).isFalse();
        assertThat(test("vip", IS, flag(true), text("true"))).isFalse();
        assertThat(test("vip", IS, number("1"), flag(true))).isFalse();
        assertThat(test("vip", IS, flag(true), number("1"))).isFalse();
    }

    @Test
    void is_does_not_hold_when_the_attribute_is_missing() {
        assertThat(testMissing(IS, text("x"))).isFalse();
    }

    @Test
    void is_not_is_exactly_the_negation_of_is() {
        assertThat(test("city", IS_NOT, text("berlin"), text("Berlin"))).isFalse();
        assertThat(test("city", IS_NOT, text("Paris"), text("Berlin"))).isTrue();
        assertThat(test("score", IS_NOT, number("1.0"), number("1"))).isFalse();
        assertThat(test("vip", IS_NOT, flag(true), flag(false))).isTrue();
        assertThat(test("vip", IS_NOT, text("true"), flag(true))).as("a type mix is never equal").isTrue();
    }

    @Test
    void is_not_on_a_list_holds_when_no_element_equals_the_operand() {
        assertThat(test("tags", IS_NOT, text("vip"), list("beta", "VIP"))).isFalse();
        assertThat(test("tags", IS_NOT, text("gamma"), list("beta", "VIP"))).isTrue();
    }

    @Test
    void is_not_holds_when_the_attribute_is_missing() {
        assertThat(testMissing(IS_NOT, text("x"))).isTrue();
    }

    // ---- contains and begins_with

    @Test
    void contains_finds_a_substring_of_text_case_insensitively() {
        assertThat(test("email", CONTAINS, text("example"), text("Ann@EXAMPLE.com"))).isTrue();
        assertThat(test("email", CONTAINS, text("sample.org"), text("Ann@EXAMPLE.com"))).isFalse();
    }

    @Test
    void contains_on_a_list_needs_an_element_equal_to_the_operand() {
        assertThat(test("tags", CONTAINS, text("premium-plan"), list("trial", "Premium-Plan"))).isTrue();
        assertThat(test("tags", CONTAINS, text("premium"), list("trial", "Premium-Plan"))).isFalse();
    }

    @Test
    void contains_does_not_hold_for_numbers_flags_or_a_missing_attribute() {
        assertThat(test("score", CONTAINS, text("4"), number("42"))).isFalse();
        assertThat(test("vip", CONTAINS, text("true"), flag(true))).isFalse();
        assertThat(testMissing(CONTAINS, text("x"))).isFalse();
    }

    @Test
    void begins_with_tests_the_start_of_text_case_insensitively() {
        assertThat(test("locale", BEGINS_WITH, text("en"), text("EN-gb"))).isTrue();
        assertThat(test("locale", BEGINS_WITH, text("gb"), text("EN-gb"))).isFalse();
    }

    @Test
    void begins_with_on_a_list_holds_when_an_element_begins_with_the_operand() {
        assertThat(test("tags", BEGINS_WITH, text("plan-"), list("trial", "Plan-Gold"))).isTrue();
        assertThat(test("tags", BEGINS_WITH, text("gold"), list("trial", "Plan-Gold"))).isFalse();
    }

    @Test
    void begins_with_does_not_hold_for_numbers_flags_or_a_missing_attribute() {
        assertThat(test("score", BEGINS_WITH, text("4"), number("42"))).isFalse();
        assertThat(test("vip", BEGINS_WITH, text("t"), flag(true))).isFalse();
        assertThat(testMissing(BEGINS_WITH, text("x"))).isFalse();
    }

    // ---- before, after and on

    @Test
    void before_and_after_compare_plain_dates() {
        assertThat(test("renews", BEFORE, text("2026-03-01"), text("2026-02-28"))).isTrue();
        assertThat(test("renews", AFTER, text("2026-03-01"), text("2026-02-28"))).isFalse();
        assertThat(test("renews", AFTER, text("2026-03-01"), text("2027-01-01"))).isTrue();
        assertThat(test("renews", BEFORE, text("2026-03-01"), text("2026-03-01"))).isFalse();
        assertThat(test("renews", AFTER, text("2026-03-01"), text("2026-03-01"))).isFalse();
    }

    @Test
    void before_and_after_compare_instants_across_offsets() {
        assertThat(test("seen", BEFORE, text("2026-03-01T10:00:00Z"), text("2026-03-01T09:59:59Z"))).isTrue();
        assertThat(test("seen", AFTER, text("2026-03-01T10:00:00Z"), text("2026-03-01T11:30:00+01:00"))).isTrue();
        assertThat(test("seen", BEFORE, text("2026-03-01T10:00:00Z"), text("2026-03-01T11:00:00+01:00"))).isFalse();
    }

    @Test
    void a_plain_date_against_an_instant_is_its_start_of_day_in_utc() {
        assertThat(test("seen", AFTER, text("2026-03-01"), text("2026-03-01T10:00:00Z"))).isTrue();
        assertThat(test("seen", BEFORE, text("2026-03-01T00:00:01Z"), text("2026-03-01"))).isTrue();
        assertThat(test("seen", BEFORE, text("2026-03-01"), text("2026-03-01T01:00:00+02:00")))
                .as("23:00 UTC on the day before").isTrue();
        assertThat(test("seen", AFTER, text("2026-03-01T00:00:00Z"), text("2026-03-01"))).isFalse();
    }

    @Test
    void on_holds_when_both_fall_on_the_same_utc_date() {
        assertThat(test("birthday", ON, text("2026-03-01"), text("2026-03-01"))).isTrue();
        assertThat(test("birthday", ON, text("2026-03-01"), text("2026-03-02"))).isFalse();
        assertThat(test("seen", ON, text("2026-03-01"), text("2026-03-01T23:59:59Z"))).isTrue();
        assertThat(test("seen", ON, text("2026-03-01"), text("2026-03-02T00:00:00Z"))).isFalse();
        assertThat(test("seen", ON, text("2026-03-01"), text("2026-03-02T01:00:00+02:00"))).isTrue();
        assertThat(test("seen", ON, text("2026-03-01T08:00:00Z"), text("2026-03-01T22:00:00Z"))).isTrue();
    }

    @Test
    void date_operators_do_not_hold_for_attributes_that_are_not_dates() {
        // Each operand would hold against a 2026-03-01 attribute, so only the attribute's form makes them fail.
        Map<AttributeOperator, AttributeValue> operands = Map.of(BEFORE, text("2030-01-01"), AFTER, text("2000-01-01"),
                ON, text("2026-03-01"));
        operands.forEach((operator, operand) -> {
            assertThat(test("seen", operator, operand, text("2026-03-01"))).isTrue();
            for (AttributeValue value : List.of(text("next week"), text("2026-02-30"), text("2026-3-1"),
                    number("20260301"), list("2026-03-01"), flag(true))) {
                assertThat(test("seen", operator, operand, value)).as(operator + " " + value).isFalse();
            }
            assertThat(testMissing(operator, operand)).isFalse();
        });
    }

    // ---- exists

    @Test
    void exists_true_holds_when_the_attribute_is_present_whatever_its_value() {
        assertThat(test("vip", EXISTS, flag(true), flag(false))).isTrue();
        assertThat(test("vip", EXISTS, flag(true), text(""))).isTrue();
        assertThat(testMissing(EXISTS, flag(true))).isFalse();
    }

    @Test
    void exists_false_holds_when_the_attribute_is_absent() {
        assertThat(testMissing(EXISTS, flag(false))).isTrue();
        assertThat(test("vip", EXISTS, flag(false), text("yes"))).isFalse();
    }

    // ---- what a test must look like

    @Test
    void an_operand_must_fit_its_operator() {
        List<Runnable> misfits = List.of(
                () -> attribute("a", EXISTS, text("yes")),
                () -> attribute("a", CONTAINS, number("1")),
                () -> attribute("a", BEGINS_WITH, flag(true)),
                () -> attribute("a", BEFORE, text("tomorrow")),
                () -> attribute("a", AFTER, text("2026-02-30")),
                () -> attribute("a", ON, number("20260301")),
                () -> attribute("a", IS, list("x")),
                () -> attribute("a", IS_NOT, list("x")));
        misfits.forEach(misfit -> assertThatThrownBy(misfit::run).isInstanceOf(IllegalArgumentException.class));
        assertThat(attribute("a", ON, text("2026-03-01T10:00:00Z")).operand()).isEqualTo(text("2026-03-01T10:00:00Z"));
    }

    @Test
    void an_attribute_test_names_a_valid_attribute() {
        for (String bad : Arrays.asList("", "1st", "first-name", "a".repeat(65), null)) {
            assertThatThrownBy(() -> attribute(bad, IS, text("x"))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void all_and_any_need_at_least_one_condition() {
        assertThatThrownBy(() -> new Condition.All(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Condition.Any(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Condition.Any(Collections.singletonList(null))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void groups_nest_at_most_five_deep() {
        Condition nested = was(PREVIOUS, Engagement.READ);
        for (int level = 1; level <= Condition.MAX_DEPTH; level++) {
            nested = new Condition.All(List.of(nested));
        }
        Condition deepest = nested;
        assertThatThrownBy(() -> new Condition.Any(List.of(deepest))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_condition_holds_at_most_fifty_tests_and_a_group_twenty_members() {
        Condition twenty = new Condition.Any(Collections.nCopies(Condition.MAX_MEMBERS, was(PREVIOUS, Engagement.READ)));
        Condition ten = new Condition.Any(Collections.nCopies(10, was(PREVIOUS, Engagement.READ)));
        assertThat(new Condition.All(List.of(twenty, twenty, ten))).isNotNull();
        assertThatThrownBy(() -> new Condition.All(List.of(twenty, twenty, ten, was(PREVIOUS, Engagement.READ))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Condition.All(Collections.nCopies(Condition.MAX_MEMBERS + 1, was(PREVIOUS, Engagement.READ))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- all and any

    @Test
    void all_holds_when_every_condition_holds() {
        Condition all = new Condition.All(List.of(was(PREVIOUS, Engagement.READ), attribute("plan", IS, text("gold"))));
        assertThat(all.holds(facts(List.of(sent("a", Engagement.READ)), Map.of("plan", text("Gold"))))).isTrue();
        assertThat(all.holds(facts(List.of(sent("a")), Map.of("plan", text("Gold"))))).isFalse();
        assertThat(all.holds(facts(List.of(sent("a", Engagement.READ)), Map.of()))).isFalse();
    }

    @Test
    void any_holds_when_at_least_one_condition_holds() {
        Condition any = new Condition.Any(List.of(was(PREVIOUS, Engagement.READ), attribute("plan", IS, text("gold"))));
        assertThat(any.holds(facts(List.of(sent("a")), Map.of("plan", text("Gold"))))).isTrue();
        assertThat(any.holds(facts(List.of(sent("a", Engagement.READ)), Map.of()))).isTrue();
        assertThat(any.holds(facts(List.of(sent("a")), Map.of()))).isFalse();
    }

    @Test
    void nested_groups_combine_as_written() {
        // (welcome clicked AND not vip) OR plan is gold
        Condition condition = new Condition.Any(List.of(
                new Condition.All(List.of(was(named("welcome"), Engagement.CLICKED), attribute("vip", EXISTS, flag(false)))),
                attribute("plan", IS, text("gold"))));
        List<StepRecord> clicked = List.of(sent("welcome", Engagement.CLICKED), sent("tips"));
        assertThat(condition.holds(facts(clicked, Map.of()))).isTrue();
        assertThat(condition.holds(facts(clicked, Map.of("vip", flag(true))))).isFalse();
        assertThat(condition.holds(facts(clicked, Map.of("vip", flag(true), "plan", text("gold"))))).isTrue();
        assertThat(condition.holds(facts(List.of(sent("welcome")), Map.of()))).isFalse();
    }

    // ---- what a condition needs

    @Test
    void only_a_condition_with_an_attribute_test_reads_attributes() {
        Condition steps = new Condition.All(List.of(was(PREVIOUS, Engagement.READ),
                new Condition.Any(List.of(wasNot(named("a"), Engagement.CLICKED)))));
        Condition deepAttribute = new Condition.All(List.of(was(PREVIOUS, Engagement.READ),
                new Condition.Any(List.of(attribute("vip", EXISTS, flag(true))))));
        assertThat(steps.readsAttributes()).isFalse();
        assertThat(deepAttribute.readsAttributes()).isTrue();
        assertThat(attribute("vip", EXISTS, flag(true)).readsAttributes()).isTrue();
        assertThat(was(PREVIOUS, Engagement.READ).readsAttributes()).isFalse();
    }

    @Test
    void named_steps_are_collected_from_every_level_but_previous_is_not_a_name() {
        Condition condition = new Condition.All(List.of(was(PREVIOUS, Engagement.READ), was(named("welcome"), Engagement.READ),
                new Condition.Any(List.of(wasNot(named("tips"), Engagement.CLICKED), attribute("vip", EXISTS, flag(true)),
                        was(named("welcome"), Engagement.REPLIED)))));
        assertThat(condition.namedSteps()).containsExactlyInAnyOrder("welcome", "tips");
        assertThat(was(PREVIOUS, Engagement.READ).namedSteps()).isEmpty();
        assertThat(attribute("vip", EXISTS, flag(true)).namedSteps()).isEmpty();
    }

    // ---- helpers

    private static StepRecord sent(String stepId, Engagement... signals) {
        StepRecord record = new StepRecord(stepId, "d-" + stepId, StepOutcome.SENT, AT, 1, "");
        for (Engagement signal : signals) {
            record = record.engaged(signal);
        }
        return record;
    }

    private static StepRecord skipped(String stepId) {
        return new StepRecord(stepId, "d-" + stepId, StepOutcome.SKIPPED, AT, 0, "");
    }

    private static StepRef named(String stepId) {
        return new StepRef.Named(stepId);
    }

    private static Condition was(StepRef step, Engagement engagement) {
        return new Condition.StepWas(step, engagement, false);
    }

    private static Condition wasNot(StepRef step, Engagement engagement) {
        return new Condition.StepWas(step, engagement, true);
    }

    private static Condition.AttributeTest attribute(String name, AttributeOperator operator, AttributeValue operand) {
        return new Condition.AttributeTest(name, operator, operand);
    }

    private static boolean holds(Condition condition, List<StepRecord> history) {
        return condition.holds(new ConditionFacts(history, Attributes.NONE));
    }

    private static ConditionFacts facts(List<StepRecord> history, Map<String, AttributeValue> attributes) {
        return new ConditionFacts(history, new Attributes(attributes));
    }

    /** Whether "{@code name} {@code operator} {@code operand}" holds when the subscriber's {@code name} is {@code value}. */
    private static boolean test(String name, AttributeOperator operator, AttributeValue operand, AttributeValue value) {
        return attribute(name, operator, operand).holds(facts(List.of(), Map.of(name, value)));
    }

    private static boolean testMissing(AttributeOperator operator, AttributeValue operand) {
        return attribute("absent", operator, operand).holds(facts(List.of(), Map.of("present", text("x"))));
    }

    private static AttributeValue text(String value) {
        return new AttributeValue.Text(value);
    }

    private static AttributeValue number(String value) {
        return new AttributeValue.Number(new BigDecimal(value));
    }

    private static AttributeValue flag(boolean value) {
        return new AttributeValue.Flag(value);
    }

    private static AttributeValue list(String... values) {
        return new AttributeValue.TextList(List.of(values));
    }
}
