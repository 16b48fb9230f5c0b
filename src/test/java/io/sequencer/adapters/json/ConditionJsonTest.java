package io.sequencer.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.FieldError;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.sequence.Condition;
import io.sequencer.domain.sequence.StepRef;
import io.sequencer.domain.subscriber.AttributeOperator;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Engagement;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionJsonTest {
    private static final String PATH = "steps[2].condition";
    private static final String RICH = """
            {"any":[
              {"all":[{"step":"previous","is":"clicked"},{"attribute":"plan","is":"gold"},
                      {"attribute":"score","is_not":1.50},{"attribute":"vip","is":true},{"attribute":"age","is":42}]},
              {"step":"welcome","is_not":"replied"},
              {"attribute":"email","contains":"example.com"},
              {"attribute":"locale","begins_with":"en"},
              {"all":[{"attribute":"renews","before":"2026-03-01"},{"attribute":"seen","after":"2026-03-01T10:00:00Z"},
                      {"any":[{"attribute":"birthday","on":"2026-03-01"},{"attribute":"phone","exists":false}]}]},
              {"attribute":"big","is":123456789012345678901234567890},
              {"attribute":"thousand","is":1e3}]}""";

    @Test
    void a_rich_nested_condition_reads_as_the_domain_value_and_writes_back_the_same() {
        Condition condition = parse(RICH);
        assertThat(condition).isInstanceOfSatisfying(Condition.Any.class, any -> {
            assertThat(any.conditions()).hasSize(7);
            assertThat(any.conditions().get(1)).isEqualTo(
                    new Condition.StepWas(new StepRef.Named("welcome"), Engagement.REPLIED, true));
            assertThat(any.conditions().get(0)).isInstanceOfSatisfying(Condition.All.class, all -> {
                assertThat(all.conditions().get(0)).isEqualTo(
                        new Condition.StepWas(new StepRef.Previous(), Engagement.CLICKED, false));
                assertThat(all.conditions().get(2)).isEqualTo(new Condition.AttributeTest("score", AttributeOperator.IS_NOT,
                        new AttributeValue.Number(new BigDecimal("1.50"))));
                assertThat(all.conditions().get(3)).isEqualTo(new Condition.AttributeTest("vip", AttributeOperator.IS,
                        new AttributeValue.Flag(true)));
            });
        });
        assertThat(condition.namedSteps()).containsExactly("welcome");
        String written = Json.write(ConditionJson.write(condition));
        assertThat(parse(written)).isEqualTo(condition);
        assertThat(Json.read(written)).isEqualTo(Json.read(RICH.replace("1e3", "1E+3")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not an object           | "previous"                                                          | steps[2].condition
            no kind                 | {}                                                                  | steps[2].condition
            two kinds               | {"step":"previous","attribute":"plan","is":"read"}                  | steps[2].condition
            wrong operator          | {"attribute":"plan","equals":"gold"}                                | steps[2].condition.equals
            two operators           | {"attribute":"plan","is":"gold","is_not":"silver"}                  | steps[2].condition.is_not
            no operator             | {"attribute":"plan"}                                                | steps[2].condition
            contains a number       | {"attribute":"plan","contains":5}                                   | steps[2].condition.contains
            begins_with a boolean   | {"attribute":"plan","begins_with":true}                             | steps[2].condition.begins_with
            exists a string         | {"attribute":"vip","exists":"yes"}                                  | steps[2].condition.exists
            is an array             | {"attribute":"tags","is":["vip"]}                                   | steps[2].condition.is
            is null                 | {"attribute":"tags","is":null}                                      | steps[2].condition.is
            is an object            | {"attribute":"tags","is":{}}                                        | steps[2].condition.is
            before an impossible day | {"attribute":"renews","before":"2026-02-30"}                       | steps[2].condition.before
            after a spaced instant  | {"attribute":"renews","after":"2026-03-01 10:00:00Z"}               | steps[2].condition.after
            on a number             | {"attribute":"renews","on":20260301}                                | steps[2].condition.on
            empty all               | {"all":[]}                                                          | steps[2].condition.all
            any not an array        | {"any":{"step":"previous","is":"read"}}                             | steps[2].condition.any
            unknown key in a group  | {"all":[{"step":"previous","is":"read"}],"note":"x"}                | steps[2].condition.note
            unknown key in a step test | {"step":"previous","is":"read","when":"now"}                     | steps[2].condition.when
            bad step id             | {"step":"a/b","is":"read"}                                          | steps[2].condition.step
            step id not a string    | {"step":3,"is":"read"}                                              | steps[2].condition.step
            unknown engagement      | {"step":"previous","is":"opened"}                                   | steps[2].condition.is
            both is and is_not      | {"step":"previous","is":"read","is_not":"clicked"}                  | steps[2].condition
            neither is nor is_not   | {"step":"previous"}                                                 | steps[2].condition
            bad attribute name      | {"attribute":"first-name","is":"Ann"}                               | steps[2].condition.attribute
            attribute name too long | {"attribute":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","is":"x"} | steps[2].condition.attribute
            error inside all        | {"all":[{"step":"previous","is":"read"},{"attribute":"plan","equals":"gold"}]} | steps[2].condition.all[1].equals
            error deep inside       | {"any":[{"all":[{"attribute":"plan","is":{}}]}]}                    | steps[2].condition.any[0].all[0].is
            too deep                | {"all":[{"all":[{"all":[{"all":[{"all":[{"all":[{"step":"previous","is":"read"}]}]}]}]}]}]} | steps[2].condition.all[0].all[0].all[0].all[0].all[0].all
            """)
    void each_bad_input_is_refused_naming_the_exact_field(String why, String json, String field) {
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(Invalid.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly(field));
    }

    @Test
    void five_levels_of_groups_are_accepted() {
        String json = "{\"step\":\"previous\",\"is\":\"read\"}";
        for (int level = 0; level < Condition.MAX_DEPTH; level++) {
            json = "{\"any\":[" + json + "]}";
        }
        assertThat(parse(json)).isInstanceOf(Condition.Any.class);
    }

    @Test
    void a_condition_holds_at_most_fifty_tests_counted_across_all_groups() {
        String fifty = group(20) + "," + group(20) + "," + group(10);
        assertThat(parse("{\"all\":[" + fifty + "]}")).isInstanceOf(Condition.All.class);
        assertThatThrownBy(() -> parse("{\"all\":[" + fifty + ",{\"attribute\":\"vip\",\"exists\":true}]}"))
                .isInstanceOfSatisfying(Invalid.class,
                        e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly(PATH));
    }

    @Test
    void a_group_holds_at_most_twenty_conditions() {
        assertThatThrownBy(() -> parse(group(Condition.MAX_MEMBERS + 1))).isInstanceOfSatisfying(Invalid.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly(PATH + ".any"));
    }

    @Test
    void a_text_operand_is_at_most_a_thousand_characters() {
        String json = "{\"attribute\":\"plan\",\"is\":\"" + "x".repeat(AttributeValue.MAX_TEXT + 1) + "\"}";
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(Invalid.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly(PATH + ".is"));
    }

    @Test
    void every_bad_field_is_reported_at_once() {
        String json = """
                {"all":[{"step":"a b","is":"seen"},{"attribute":"9lives","before":"soon"},{"any":[]}]}""";
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(Invalid.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder(
                        PATH + ".all[0].step", PATH + ".all[0].is", PATH + ".all[1].attribute", PATH + ".all[1].before",
                        PATH + ".all[2].any"));
    }

    @Test
    void every_single_test_writes_back_the_same() {
        List<Condition> tests = List.of(
                new Condition.StepWas(new StepRef.Previous(), Engagement.DELIVERED, false),
                new Condition.StepWas(new StepRef.Named("previous-step"), Engagement.READ, true),
                new Condition.AttributeTest("name", AttributeOperator.IS, new AttributeValue.Text("")),
                new Condition.AttributeTest("n", AttributeOperator.IS_NOT, new AttributeValue.Number(new BigDecimal("-0.000"))),
                new Condition.AttributeTest("n", AttributeOperator.IS, new AttributeValue.Number(new BigDecimal("1E+5"))),
                new Condition.AttributeTest("x", AttributeOperator.EXISTS, new AttributeValue.Flag(true)),
                new Condition.AttributeTest("d", AttributeOperator.ON, new AttributeValue.Text("2026-03-01T10:00:00+02:00")),
                new Condition.All(Collections.nCopies(3, new Condition.StepWas(new StepRef.Previous(), Engagement.READ, false))));
        for (Condition test : tests) {
            assertThat(parse(Json.write(ConditionJson.write(test)))).isEqualTo(test);
        }
    }

    private static String group(int tests) {
        return "{\"any\":[" + String.join(",", Collections.nCopies(tests, "{\"step\":\"previous\",\"is\":\"read\"}")) + "]}";
    }

    private static Condition parse(String json) {
        FieldReader in = new FieldReader();
        Condition condition = ConditionJson.parse(Json.read(json), PATH, in);
        in.throwIfInvalid();
        assertThat(condition).isNotNull();
        return condition;
    }
}
