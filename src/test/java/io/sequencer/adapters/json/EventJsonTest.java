package io.sequencer.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.FieldError;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.subscriber.Resubscription;
import io.sequencer.domain.subscriber.SubscriberEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reported events and batch enrollments: each entry read on its own, a bad one named without losing the rest. */
class EventJsonTest {

    @Test
    void one_event_or_a_list_is_read_with_every_field() {
        List<EventJson.Entry> one = EventJson.parse("""
                {"subscriberId":"ann","type":"read","watermark":"2026-03-01T10:00:00Z","at":"2026-03-01T10:00:01Z"}""");
        SubscriberEvent read = one.get(0).event().orElseThrow();
        assertThat(read.type()).isEqualTo(EventType.READ);
        assertThat(read.watermark()).contains(Instant.parse("2026-03-01T10:00:00Z"));
        List<EventJson.Entry> list = EventJson.parse("""
                [{"subscriberId":"ann","type":"clicked","deliveryId":"dlv_0123456789abcdef0123456789abcdef","eventId":"e-1"},
                 {"subscriberId":"bob","type":"converted","name":"purchase","sequenceId":"offer"}]""");
        assertThat(list).allSatisfy(e -> assertThat(e.problem()).isEmpty());
        assertThat(list.get(0).event().orElseThrow().identity()).isEqualTo("id:e-1");
        assertThat(list.get(1).event().orElseThrow().identity()).isEqualTo("converted||offer||purchase|");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing subscriber      | {"type":"read"}                                                        | [0].subscriberId
            bad subscriber id       | {"subscriberId":"a b","type":"read"}                                   | [0].subscriberId
            unknown type            | {"subscriberId":"a","type":"opened"}                                   | [0].type
            foreign delivery id     | {"subscriberId":"a","type":"read","deliveryId":"12345"}                | [0].deliveryId
            step without sequence   | {"subscriberId":"a","type":"read","stepId":"s1"}                       | [0].stepId
            watermark on a click    | {"subscriberId":"a","type":"clicked","watermark":"2026-03-01T10:00:00Z"} | [0].watermark
            bad instant             | {"subscriberId":"a","type":"read","at":"yesterday"}                    | [0].at
            resubscribed without at | {"subscriberId":"a","type":"resubscribed"}                             | [0].at
            unknown field           | {"subscriberId":"a","type":"read","page":"p"}                          | [0].page
            not an object           | 42                                                                     | [0]
            """)
    void a_bad_entry_is_rejected_alone_and_named(String why, String entry, String field) {
        List<EventJson.Entry> entries = EventJson.parse("[" + entry + ",{\"subscriberId\":\"ok\",\"type\":\"read\"}]");
        assertThat(entries.get(0).problem()).get().satisfies(
                p -> assertThat(p.errors()).extracting(FieldError::field).contains(field));
        assertThat(entries.get(1).event()).isPresent();
    }

    @Test
    void a_body_that_is_no_event_list_is_refused_whole() {
        for (String body : List.of("[]", "\"read\"", "{\"subscriberId\":\"a\"} x")) {
            assertThatThrownBy(() -> EventJson.parse(body)).as(body).isInstanceOf(Invalid.class);
        }
        String tooMany = "[" + "{\"subscriberId\":\"a\",\"type\":\"read\"},".repeat(EventJson.MAX_EVENTS) + "{\"subscriberId\":\"a\",\"type\":\"read\"}]";
        assertThatThrownBy(() -> EventJson.parse(tooMany)).isInstanceOf(Invalid.class);
    }

    @Test
    void a_batch_enroll_names_each_bad_entry_and_keeps_the_good_ones() {
        List<SubscriberJson.BatchEntry> entries = SubscriberJson.parseBatch("""
                {"subscribers":[{"subscriberId":"ann","timezone":"Asia/Tokyo","attributes":{"vip":true}},
                                {"subscriberId":"bob","attributes":{"tags":[1]}}, "carl", {"subscriberId":"dan","x":1}]}""");
        assertThat(entries.get(0).body().orElseThrow().attributes()).containsKey("vip");
        assertThat(entries.get(1).problem().orElseThrow().errors()).extracting(FieldError::field)
                .anySatisfy(f -> assertThat(f).startsWith("subscribers[1].attributes.tags"));
        assertThat(entries.get(2).problem().orElseThrow().errors()).extracting(FieldError::field).contains("subscribers[2]");
        assertThat(entries.get(3).problem().orElseThrow().errors()).extracting(FieldError::field).contains("subscribers[3].x");
        assertThatThrownBy(() -> SubscriberJson.parseBatch("{\"subscribers\":[]}")).isInstanceOf(Invalid.class);
        assertThatThrownBy(() -> SubscriberJson.parseBatch("{\"people\":[{}]}")).isInstanceOf(Invalid.class);
    }

    @Test
    void an_add_may_carry_the_time_of_a_re_subscription_and_a_batch_enroll_may_not() {
        SubscriberJson.Addition addition = SubscriberJson.parseAdd(
                "{\"subscriberId\":\"ann\",\"resubscribedAt\":\"2026-03-02T10:15:00Z\"}");
        assertThat(addition.resubscription()).contains(
                new Resubscription(Instant.parse("2026-03-02T10:15:00Z"), "resubscribedAt"));
        assertThat(SubscriberJson.parseAdd("{\"subscriberId\":\"ann\"}").resubscription()).isEmpty();
        assertThatThrownBy(() -> SubscriberJson.parseAdd("{\"subscriberId\":\"ann\",\"resubscribedAt\":\"today\"}"))
                .isInstanceOf(Invalid.class).hasMessageStartingWith("resubscribedAt:");
        List<SubscriberJson.BatchEntry> batch = SubscriberJson.parseBatch(
                "{\"subscribers\":[{\"subscriberId\":\"ann\",\"resubscribedAt\":\"2026-03-02T10:15:00Z\"}]}");
        assertThat(batch.get(0).problem().orElseThrow().errors()).extracting(FieldError::field)
                .contains("subscribers[0].resubscribedAt");
    }
}
