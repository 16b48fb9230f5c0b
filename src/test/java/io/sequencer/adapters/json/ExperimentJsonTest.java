package io.sequencer.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.adapters.json.stored.StoredChannelForms;
import io.sequencer.adapters.json.stored.StoredSequence;
import io.sequencer.channel.ChannelTypes;
import io.sequencer.domain.FieldError;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.SplitPath;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A step's variants and split and a sequence's holdout: read, checked field by field, written and stored alike. */
class ExperimentJsonTest {
    private static final ChannelForms CHANNELS = ChannelTypes.ALL.forms();
    private static final StoredChannelForms STORED_CHANNELS = ChannelTypes.ALL.storedForms();
    private static final String CHANNEL = "\"channel\":{\"type\":\"webhook\",\"url\":\"http://h/x\"}";
    private static final String VALID = """
            {"name":"Trial","holdout":10,"steps":[
              {"id":"offer","delay":{"amount":0,"unit":"seconds"},"message":{"text":"x"},
               "variants":[{"id":"a","weight":60,"message":{"text":"A {{ subscriber.id }}"}},
                           {"id":"b","weight":40,"message":{"text":"B"}}]},
              {"id":"fork","delay":{"amount":1,"unit":"days"},"message":{"text":"f"},
               "split":[{"weight":1,"goTo":"fork"},{"weight":1,"goTo":"last"}]},
              {"id":"last","delay":{"amount":1,"unit":"days"},"message":{"text":"l"}}],
             %s}""".formatted(CHANNEL);

    private static Map<String, String> problems(String body) {
        try {
            SequenceJson.parse(body, CHANNELS);
        } catch (Invalid invalid) {
            return invalid.errors().stream().collect(java.util.stream.Collectors.toMap(FieldError::field,
                    FieldError::reason, (a, b) -> a));
        }
        throw new AssertionError("accepted: " + body);
    }

    @Test
    void variants_a_split_and_a_holdout_are_read_written_back_and_stored_the_same() {
        SequenceDraft draft = SequenceJson.parse(VALID, CHANNELS);
        assertThat(draft.rules().holdout()).isEqualTo(10);
        assertThat(draft.steps().get(0).experiment().variants()).extracting(v -> v.id() + ":" + v.weight())
                .containsExactly("a:60", "b:40");
        assertThat(draft.steps().get(0).experiment().variants().get(0).message())
                .isEqualTo("{\"text\":\"A {{ subscriber.id }}\"}");
        assertThat(draft.steps().get(1).experiment().split())
                .containsExactly(new SplitPath(1, "fork"), new SplitPath(1, "last"));
        Sequence sequence = Sequence.create("acme", "trial", draft, Instant.parse("2026-03-01T00:00:00Z"));
        String written = Json.write(SequenceJson.write(sequence, CHANNELS));
        assertThat(SequenceJson.parse(written, CHANNELS)).isEqualTo(draft);
        assertThat(StoredSequence.read("acme", "trial", StoredSequence.write(sequence, STORED_CHANNELS),
                STORED_CHANNELS)).isEqualTo(sequence);
    }

    @Test
    void each_bad_field_is_named() {
        String body = """
                {"name":"Bad","holdout":51,"steps":[
                  {"id":"one","delay":{"amount":0,"unit":"seconds"},"message":{"text":"x"},
                   "variants":[{"id":"a","weight":0,"message":{"text":"A"}},{"id":"a","weight":1,"message":"no"}]},
                  {"id":"two","delay":{"amount":0,"unit":"seconds"},"message":{"text":"x"},
                   "variants":[{"id":"a","weight":1,"message":{}}]},
                  {"id":"three","delay":{"amount":0,"unit":"seconds"},"message":{"text":"x"},
                   "variants":[{"id":"a","weight":1,"message":{}},{"id":"b","weight":1,"message":{}}],
                   "split":[{"weight":1,"goTo":"one"},{"weight":1,"goTo":"four"}]}],
                 %s}""".formatted(CHANNEL);
        assertThat(problems(body)).containsKeys("holdout", "steps[0].variants[0].weight", "steps[0].variants[1].id",
                "steps[0].variants[1].message", "steps[1].variants", "steps[2].split");
    }

    @Test
    void a_split_may_not_jump_back_or_name_an_unknown_step() {
        String body = """
                {"name":"Loop","steps":[
                  {"id":"one","delay":{"amount":0,"unit":"seconds"},"message":{}},
                  {"id":"two","delay":{"amount":0,"unit":"seconds"},"message":{},
                   "split":[{"weight":1,"goTo":"one"},{"weight":1,"goTo":"nowhere"}]}],
                 %s}""".formatted(CHANNEL);
        assertThat(problems(body)).containsKeys("steps[1].split[0].goTo", "steps[1].split[1].goTo");
    }

    @Test
    void a_template_error_in_a_variant_is_named_by_its_path() {
        String body = VALID.replace("A {{ subscriber.id }}", "A {{ subscriber.id ");
        assertThatThrownBy(() -> SequenceJson.parse(body, CHANNELS)).isInstanceOf(Invalid.class)
                .hasMessageContaining("steps[0].variants[0].message");
    }
}
