package io.sequencer.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.adapters.json.stored.StoredChannelForms;
import io.sequencer.adapters.json.stored.StoredSequence;
import io.sequencer.channel.ChannelTypes;
import io.sequencer.channel.webhook.WebhookConfig;
import io.sequencer.domain.FieldError;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.sequence.Delay;
import io.sequencer.domain.sequence.DelayUnit;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.subscriber.AttributeValue;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SequenceJsonTest {
    private static final ChannelForms CHANNELS = ChannelTypes.ALL.forms();
    private static final StoredChannelForms STORED_CHANNELS = ChannelTypes.ALL.storedForms();
    static final String VALID = """
            {"name":"Welcome","steps":[
              {"id":"hello","delay":{"amount":0,"unit":"seconds"},"message":{"text":"Hi","quick_replies":[1,2]}},
              {"id":"tips","delay":{"amount":2,"unit":"days"},"message":{"text":"Tips"}}],
             "channel":{"type":"webhook","url":"https://host.example/hooks/seq","secretSetting":"HOOK_SECRET"}}""";

    @Test
    void a_valid_definition_is_read_with_messages_kept_untouched() {
        SequenceDraft draft = SequenceJson.parse(VALID, CHANNELS);
        assertThat(draft.name()).isEqualTo("Welcome");
        assertThat(draft.steps()).extracting(s -> s.id()).containsExactly("hello", "tips");
        assertThat(draft.steps().get(1).delay()).isEqualTo(Delay.of(2, DelayUnit.DAYS));
        assertThat(draft.steps().get(0).message()).isEqualTo("{\"text\":\"Hi\",\"quick_replies\":[1,2]}");
        assertThat(draft.channel()).isInstanceOfSatisfying(WebhookConfig.class,
                w -> assertThat(w.secretSetting()).contains("HOOK_SECRET"));
    }

    @Test
    void numbers_in_messages_are_kept_exactly_as_written() {
        String body = VALID.replace("{\"text\":\"Tips\"}", "{\"big\":1e999,\"precise\":0.10000000000000000001,\"zeros\":1.500,\"huge\":123456789012345678901234567890}");
        String message = SequenceJson.parse(body, CHANNELS).steps().get(1).message();
        assertThat(message).contains("0.10000000000000000001").contains("1.500").contains("123456789012345678901234567890")
                .doesNotContain("Infinity");
        assertThat(Json.read(message).get("big").decimalValue()).isEqualByComparingTo("1e999");
    }

    @Test
    void the_timing_vocabulary_is_read_and_written_back_the_same() {
        String body = """
                {"name":"Timed","timezone":"America/New_York",
                 "sendWindow":{"from":"22:00","to":"06:00","days":["FRI","SAT"]},
                 "steps":[
                   {"id":"a","delay":{"amount":3,"unit":"days","from":"enrollment"},"message":{}},
                   {"id":"b","delay":{"at":"09:00"},"message":{},"enabled":false},
                   {"id":"c","delay":{"at":"09:30","on":"MON"},"message":{},"sendWindow":{"from":"08:00","to":"08:00"}}],
                 "channel":{"type":"webhook","url":"http://h/x"}}""";
        SequenceDraft draft = SequenceJson.parse(body, CHANNELS);
        assertThat(draft.timezone()).contains(ZoneId.of("America/New_York"));
        assertThat(draft.sendWindow()).hasValueSatisfying(w -> assertThat(w.crossesMidnight()).isTrue());
        assertThat(draft.steps().get(0).delay()).isEqualTo(
                new Delay.Span(3, DelayUnit.DAYS, Delay.Anchor.ENROLLMENT));
        assertThat(draft.steps().get(1).enabled()).isFalse();
        assertThat(draft.steps().get(2).delay()).isEqualTo(new Delay.AtLocalTime(
                LocalTime.of(9, 30), Optional.of(DayOfWeek.MONDAY),
                Delay.Anchor.PREVIOUS));
        assertThat(draft.steps().get(2).sendWindow()).hasValueSatisfying(w -> assertThat(w.isAllDay()).isTrue());
        Sequence stored = Sequence.create("acme", "timed", draft, Instant.EPOCH);
        assertThat(stored.sameDefinitionAs(SequenceJson.parse(Json.write(SequenceJson.write(stored, CHANNELS)), CHANNELS))).isTrue();
        assertThat(StoredSequence.read("acme", "timed", StoredSequence.write(stored, STORED_CHANNELS), STORED_CHANNELS)).isEqualTo(stored);
    }

    @Test
    void the_enroll_body_takes_an_iana_time_zone_and_attributes_and_nothing_else() {
        assertThat(EnrollmentJson.parseEnrollRequest(Optional.empty())).isEqualTo(EnrollmentJson.EnrollBody.EMPTY);
        assertThat(EnrollmentJson.parseEnrollRequest(Optional.of("{\"timezone\":\"Australia/Lord_Howe\"}")).timezone())
                .contains(ZoneId.of("Australia/Lord_Howe"));
        assertThat(EnrollmentJson.parseEnrollRequest(Optional.of("{\"attributes\":{\"gender\":\"female\"}}"))
                .attributes()).containsEntry("gender",
                        Optional.of(new AttributeValue.Text("female")));
        for (String bad : List.of("{\"timezone\":\"Nowhere/Land\"}", "{\"timezone\":5}", "{\"tz\":\"UTC\"}", "[]",
                "{\"attributes\":{\"gender\":null}}", "{\"attributes\":{\"x\":{\"nested\":1}}}")) {
            assertThatThrownBy(() -> EnrollmentJson.parseEnrollRequest(Optional.of(bad))).isInstanceOf(Invalid.class);
        }
    }

    @Test
    void what_is_written_reads_back_as_the_same_definition() {
        SequenceDraft draft = SequenceJson.parse(VALID, CHANNELS);
        Sequence stored = Sequence.create("acme", "welcome", draft, Instant.parse("2026-01-01T00:00:00Z"))
                .replacedBy(draft, Instant.parse("2026-01-02T00:00:00Z")).replacedBy(draft, Instant.parse("2026-01-03T00:00:00Z"));
        String written = Json.write(SequenceJson.write(stored, CHANNELS));
        assertThat(stored.sameDefinitionAs(SequenceJson.parse(written, CHANNELS))).isTrue();
        assertThat(written).contains("\"version\":3").doesNotContain("secret\":\"");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed JSON          | {"name":                                                                    | body
            not an object           | [1,2]                                                                       | body
            missing name            | {"steps":[{"id":"a","delay":{"amount":1,"unit":"seconds"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}} | name
            unknown delay unit      | {"name":"n","steps":[{"id":"a","delay":{"amount":1,"unit":"weeks"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}} | steps[0].delay.unit
            negative amount         | {"name":"n","steps":[{"id":"a","delay":{"amount":-1,"unit":"seconds"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}} | steps[0].delay.amount
            fractional amount       | {"name":"n","steps":[{"id":"a","delay":{"amount":1.5,"unit":"hours"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}} | steps[0].delay.amount
            amount as string        | {"name":"n","steps":[{"id":"a","delay":{"amount":"1","unit":"hours"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}} | steps[0].delay.amount
            too long a delay        | {"name":"n","steps":[{"id":"a","delay":{"amount":4000,"unit":"days"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}} | steps[0].delay.amount
            duplicate step ids      | {"name":"n","steps":[{"id":"a","delay":{"amount":1,"unit":"seconds"},"message":{}},{"id":"a","delay":{"amount":1,"unit":"seconds"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}} | steps[1].id
            empty steps             | {"name":"n","steps":[],"channel":{"type":"webhook","url":"http://h/x"}}      | steps
            step id with slash      | {"name":"n","steps":[{"id":"a/b","delay":{"amount":1,"unit":"seconds"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}} | steps[0].id
            message not an object   | {"name":"n","steps":[{"id":"a","delay":{"amount":1,"unit":"seconds"},"message":"hi"}],"channel":{"type":"webhook","url":"http://h/x"}} | steps[0].message
            missing channel         | {"name":"n","steps":[{"id":"a","delay":{"amount":1,"unit":"seconds"},"message":{}}]} | channel
            unknown channel type    | {"name":"n","steps":[{"id":"a","delay":{"amount":1,"unit":"seconds"},"message":{}}],"channel":{"type":"fax"}} | channel.type
            ftp webhook url         | {"name":"n","steps":[{"id":"a","delay":{"amount":1,"unit":"seconds"},"message":{}}],"channel":{"type":"webhook","url":"ftp://h/x"}} | channel.url
            relative webhook url    | {"name":"n","steps":[{"id":"a","delay":{"amount":1,"unit":"seconds"},"message":{}}],"channel":{"type":"webhook","url":"/x"}} | channel.url
            bad secret setting name | {"name":"n","steps":[{"id":"a","delay":{"amount":1,"unit":"seconds"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x","secretSetting":"a b"}} | channel.secretSetting
            unknown top field       | {"name":"n","delays":1,"steps":[{"id":"a","delay":{"amount":1,"unit":"seconds"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}} | delays
            duplicate JSON key      | {"name":"n","name":"m"}                                                      | body
            bad time zone           | {"name":"n","timezone":"Mars/Olympus","steps":[{"id":"a","delay":{"amount":1,"unit":"seconds"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}} | timezone
            offset as time zone     | {"name":"n","timezone":"+02:00","steps":[{"id":"a","delay":{"amount":1,"unit":"seconds"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}} | timezone
            window bad from         | {"name":"n","sendWindow":{"from":"9:00","to":"18:00"},"steps":[{"id":"a","delay":{"amount":1,"unit":"seconds"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}} | sendWindow.from
            window missing to       | {"name":"n","sendWindow":{"from":"09:00"},"steps":[{"id":"a","delay":{"amount":1,"unit":"seconds"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}} | sendWindow.to
            window bad day          | {"name":"n","sendWindow":{"from":"09:00","to":"18:00","days":["MON","FUN"]},"steps":[{"id":"a","delay":{"amount":1,"unit":"seconds"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}} | sendWindow.days[1]
            window no days          | {"name":"n","sendWindow":{"from":"09:00","to":"18:00","days":[]},"steps":[{"id":"a","delay":{"amount":1,"unit":"seconds"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}} | sendWindow.days
            step window 24:00       | {"name":"n","steps":[{"id":"a","delay":{"amount":1,"unit":"seconds"},"message":{},"sendWindow":{"from":"09:00","to":"24:00"}}],"channel":{"type":"webhook","url":"http://h/x"}} | steps[0].sendWindow.to
            delay at bad            | {"name":"n","steps":[{"id":"a","delay":{"at":"25:00"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}} | steps[0].delay.at
            delay on bad            | {"name":"n","steps":[{"id":"a","delay":{"at":"09:00","on":"MONDAY"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}} | steps[0].delay.on
            delay at with unit      | {"name":"n","steps":[{"id":"a","delay":{"at":"09:00","unit":"days"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}} | steps[0].delay.unit
            delay from bad          | {"name":"n","steps":[{"id":"a","delay":{"amount":1,"unit":"days","from":"signup"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}} | steps[0].delay.from
            enabled not boolean     | {"name":"n","steps":[{"id":"a","delay":{"amount":1,"unit":"days"},"message":{},"enabled":"no"}],"channel":{"type":"webhook","url":"http://h/x"}} | steps[0].enabled
            trailing garbage        | {"name":"n"} junk                                                            | body
            webhook port too large  | {"name":"n","steps":[{"id":"a","delay":{"amount":1,"unit":"seconds"},"message":{}}],"channel":{"type":"webhook","url":"http://h.example:70000/x"}} | channel.url
            webhook port zero       | {"name":"n","steps":[{"id":"a","delay":{"amount":1,"unit":"seconds"},"message":{}}],"channel":{"type":"webhook","url":"http://h.example:0/x"}} | channel.url
            """)
    void each_bad_field_is_refused_and_named(String why, String body, String field) {
        assertThatThrownBy(() -> SequenceJson.parse(body, CHANNELS))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors()).extracting(FieldError::field).contains(field));
    }

    @Test
    void a_step_id_over_128_characters_is_refused() {
        String body = VALID.replace("\"hello\"", "\"" + "h".repeat(129) + "\"");
        assertThatThrownBy(() -> SequenceJson.parse(body, CHANNELS)).isInstanceOfSatisfying(Invalid.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("steps[0].id"));
    }

    @Test
    void every_bad_field_is_reported_at_once() {
        String body = """
                {"name":"","steps":[{"id":"ok","delay":{"amount":-2,"unit":"fortnights"},"message":{}}],
                 "channel":{"type":"webhook","url":"mailto:x"}}""";
        assertThatThrownBy(() -> SequenceJson.parse(body, CHANNELS)).isInstanceOfSatisfying(Invalid.class,
                e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("name", "steps[0].delay.unit", "steps[0].delay.amount", "channel.url"));
    }

    @Test
    void too_many_steps_are_refused() {
        String step = "{\"id\":\"s%d\",\"delay\":{\"amount\":1,\"unit\":\"seconds\"},\"message\":{}}";
        List<String> steps = IntStream.range(0, Sequence.MAX_STEPS + 1).mapToObj(i -> step.formatted(i)).toList();
        String body = "{\"name\":\"n\",\"steps\":[" + String.join(",", steps) + "],\"channel\":{\"type\":\"webhook\",\"url\":\"http://h/x\"}}";
        assertThatThrownBy(() -> SequenceJson.parse(body, CHANNELS)).isInstanceOfSatisfying(Invalid.class,
                e -> assertThat(e.errors().get(0).field()).isEqualTo("steps"));
    }
}
