package io.sequencer.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.adapters.json.stored.StoredSubscriber;
import io.sequencer.domain.FieldError;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.domain.subscriber.Attributes;
import io.sequencer.domain.subscriber.Conversation;
import io.sequencer.domain.subscriber.Subscriber;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AttributesJsonTest {
    private static final String PATH = "attributes";

    @Test
    void each_value_type_is_read_in_the_order_given() {
        Map<String, Optional<AttributeValue>> values = parse("""
                {"first_name":"Ann","score":1.50,"age":42,"vip":true,"tags":["beta","VIP"],"empty":[],"blank":""}""", false);
        assertThat(values).containsExactly(
                Map.entry("first_name", Optional.of(new AttributeValue.Text("Ann"))),
                Map.entry("score", Optional.of(new AttributeValue.Number(new BigDecimal("1.50")))),
                Map.entry("age", Optional.of(new AttributeValue.Number(new BigDecimal("42")))),
                Map.entry("vip", Optional.of(new AttributeValue.Flag(true))),
                Map.entry("tags", Optional.of(new AttributeValue.TextList(List.of("beta", "VIP")))),
                Map.entry("empty", Optional.of(new AttributeValue.TextList(List.of()))),
                Map.entry("blank", Optional.of(new AttributeValue.Text(""))));
    }

    @Test
    void null_removes_an_attribute_where_removal_is_allowed() {
        assertThat(parse("{\"plan\":null,\"vip\":false}", true)).containsExactly(
                Map.entry("plan", Optional.empty()), Map.entry("vip", Optional.of(new AttributeValue.Flag(false))));
    }

    @Test
    void null_is_refused_where_removal_is_not_allowed() {
        assertThatThrownBy(() -> parse("{\"plan\":null}", false)).isInstanceOfSatisfying(Invalid.class,
                e -> assertThat(e.errors()).containsExactly(new FieldError(PATH + ".plan", "must not be null")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not an object           | ["Ann"]                                   | attributes
            name with a dash        | {"first-name":"Ann"}                      | attributes.first-name
            name starting with digit | {"1st":"Ann"}                            | attributes.1st
            empty name              | {"":"Ann"}                                | attributes.
            nested object           | {"address":{"city":"Berlin"}}             | attributes.address
            nested array            | {"tags":[["a"]]}                          | attributes.tags[0]
            number in a list        | {"tags":["a",2]}                          | attributes.tags[1]
            null in a list          | {"tags":["a",null]}                       | attributes.tags[1]
            """)
    void each_bad_field_is_refused_and_named(String why, String json, String field) {
        assertThatThrownBy(() -> parse(json, true)).isInstanceOfSatisfying(Invalid.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly(field));
    }

    @Test
    void a_name_over_sixty_four_characters_is_refused() {
        String name = "a".repeat(65);
        assertThat(parse("{\"" + "a".repeat(64) + "\":1}", false)).hasSize(1);
        assertThatThrownBy(() -> parse("{\"" + name + "\":1}", false)).isInstanceOfSatisfying(Invalid.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly(PATH + "." + name));
    }

    @Test
    void text_is_at_most_a_thousand_characters_alone_or_in_a_list() {
        String tooLong = "x".repeat(AttributeValue.MAX_TEXT + 1);
        assertThat(parse("{\"bio\":\"" + tooLong.substring(1) + "\"}", false)).hasSize(1);
        assertThatThrownBy(() -> parse("{\"bio\":\"" + tooLong + "\",\"tags\":[\"ok\",\"" + tooLong + "\"]}", false))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly(PATH + ".bio", PATH + ".tags[1]"));
    }

    @Test
    void a_list_holds_at_most_a_hundred_strings() {
        String items = String.join(",", Collections.nCopies(AttributeValue.MAX_ITEMS + 1, "\"t\""));
        assertThatThrownBy(() -> parse("{\"tags\":[" + items + "]}", false)).isInstanceOfSatisfying(Invalid.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly(PATH + ".tags"));
    }

    @Test
    void a_profile_holds_at_most_a_hundred_attributes() {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i <= Attributes.MAX_ATTRIBUTES; i++) {
            json.append(i == 0 ? "" : ",").append("\"a").append(i).append("\":").append(i);
        }
        assertThatThrownBy(() -> parse(json.append("}").toString(), true)).isInstanceOfSatisfying(Invalid.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly(PATH));
    }

    @Test
    void what_is_written_reads_back_as_the_same_attributes() {
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        values.put("first_name", new AttributeValue.Text("Ann \"the\" Üser"));
        values.put("score", new AttributeValue.Number(new BigDecimal("1.50")));
        values.put("huge", new AttributeValue.Number(new BigDecimal("123456789012345678901234567890")));
        values.put("tiny", new AttributeValue.Number(new BigDecimal("1E-30")));
        values.put("vip", new AttributeValue.Flag(false));
        values.put("tags", new AttributeValue.TextList(List.of("beta", "VIP")));
        values.put("none", new AttributeValue.TextList(List.of()));
        Attributes attributes = new Attributes(values);
        Subscriber subscriber = new Subscriber("acme", "sub", attributes, Optional.empty(), List.of(), Optional.empty(),
                Conversation.NONE, Instant.EPOCH, Instant.EPOCH);
        Attributes read = StoredSubscriber.read("acme", "sub", StoredSubscriber.write(subscriber)).attributes();
        assertThat(read).isEqualTo(attributes);
        assertThat(read.values().keySet()).containsExactlyElementsOf(values.keySet());
    }

    private static Map<String, Optional<AttributeValue>> parse(String json, boolean allowRemoval) {
        FieldReader in = new FieldReader();
        Map<String, Optional<AttributeValue>> values = AttributesJson.parse(Json.read(json), PATH, in, allowRemoval);
        in.throwIfInvalid();
        return values;
    }
}
