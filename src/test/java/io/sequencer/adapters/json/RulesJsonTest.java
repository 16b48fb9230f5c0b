package io.sequencer.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.adapters.json.stored.StoredChannelForms;
import io.sequencer.adapters.json.stored.StoredSequence;
import io.sequencer.channel.ChannelTypes;
import io.sequencer.domain.FieldError;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.Trigger;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reacting parts of a sequence definition: read, validated field by field, and written back the same. */
class RulesJsonTest {
    private static final ChannelForms CHANNELS = ChannelTypes.ALL.forms();
    private static final StoredChannelForms STORED_CHANNELS = ChannelTypes.ALL.storedForms();
    private static final String CHANNEL = "\"channel\":{\"type\":\"webhook\",\"url\":\"http://h/x\"}";
    static final String REACTING = """
            {"name":"Offer","reentry":"always","enrollOn":"subscribed",
             "exitWhen":[{"event":"converted","name":"purchase"},{"event":"clicked","step":"pitch"}],
             "then":[{"on":"completed","enroll":"nurture"},{"on":"left","reason":"goal","enroll":"customer"},
                     {"on":"left","enroll":"winback"},{"on":"event","event":"replied","enroll":"chat"}],
             "steps":[
               {"id":"pitch","delay":{"amount":0,"unit":"seconds"},"message":{"text":"hi"}},
               {"id":"details","delay":{"amount":2,"unit":"days"},"message":{"text":"more"},
                "waitFor":{"event":"clicked","step":"pitch"}},
               {"id":"vip","delay":{"amount":1,"unit":"days"},"message":{"text":"vip"},
                "condition":{"all":[{"attribute":"tags","contains":"vip"},{"any":[{"step":"previous","is_not":"read"},
                             {"attribute":"subscribed_at","before":"2026-01-01"}]}]},"onConditionFalse":"end"},
               {"id":"reminder","delay":{"amount":1,"unit":"days"},"message":{"text":"last day"},
                "branches":[{"if":{"step":"pitch","is":"clicked"},"goTo":"thanks"}]},
               {"id":"thanks","delay":{"amount":1,"unit":"days"},"message":{"text":"thanks"}}],
             %s}""".formatted(CHANNEL);

    @Test
    void every_rule_is_read_and_written_back_the_same() {
        SequenceDraft draft = SequenceJson.parse(REACTING, CHANNELS);
        assertThat(draft.rules().reentry()).isEqualTo(ReentryPolicy.ALWAYS);
        assertThat(draft.rules().enrollOnSubscribed()).isTrue();
        assertThat(draft.rules().exitWhen()).hasSize(2);
        assertThat(draft.rules().then()).hasSize(4).first().isEqualTo(new Trigger.OnCompleted("nurture"));
        assertThat(draft.steps().get(1).rules().waitFor()).isPresent();
        assertThat(draft.steps().get(2).rules().endWhenFalse()).isTrue();
        assertThat(draft.steps().get(2).rules().readsAttributes()).isTrue();
        assertThat(draft.steps().get(3).rules().branches()).hasSize(1);
        assertThat(draft.steps().get(3).rules().readsAttributes()).isFalse();
        Sequence stored = Sequence.create("acme", "offer", draft, Instant.EPOCH);
        String written = Json.write(SequenceJson.write(stored, CHANNELS));
        assertThat(stored.sameDefinitionAs(SequenceJson.parse(written, CHANNELS))).isTrue();
        assertThat(StoredSequence.read("acme", "offer", StoredSequence.write(stored, STORED_CHANNELS), STORED_CHANNELS)).isEqualTo(stored);
    }

    @Test
    void a_plain_sequence_gets_the_default_rules_and_shows_them() {
        String plain = "{\"name\":\"n\",\"steps\":[{\"id\":\"a\",\"delay\":{\"amount\":1,\"unit\":\"seconds\"},\"message\":{}}],"
                + CHANNEL + "}";
        var written = SequenceJson.write(Sequence.create("acme", "p", SequenceJson.parse(plain, CHANNELS), Instant.EPOCH), CHANNELS);
        assertThat(written.path("reentry").asText()).isEqualTo("never");
        assertThat(written.path("exitWhen").isEmpty()).isTrue();
        assertThat(written.path("then").isEmpty()).isTrue();
        assertThat(written.has("enrollOn")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown re-entry        | "reentry":"sometimes"                                                      | reentry
            unknown enrollOn        | "enrollOn":"created"                                                       | enrollOn
            goal not an object      | "exitWhen":["converted"]                                                   | exitWhen[0]
            goal unknown event      | "exitWhen":[{"event":"bought"}]                                            | exitWhen[0].event
            goal on subscribed      | "exitWhen":[{"event":"subscribed"}]                                        | exitWhen[0].event
            goal names a step       | "exitWhen":[{"event":"clicked","step":"nope"}]                             | exitWhen[0].step
            goal step with convert  | "exitWhen":[{"event":"converted","step":"a"}]                              | exitWhen[0].step
            goal unknown field      | "exitWhen":[{"event":"converted","amount":5}]                              | exitWhen[0].amount
            trigger unknown on      | "then":[{"on":"started","enroll":"x"}]                                     | then[0].on
            trigger bad target      | "then":[{"on":"completed","enroll":"a/b"}]                                 | then[0].enroll
            trigger missing target  | "then":[{"on":"completed"}]                                                | then[0].enroll
            trigger bad reason      | "then":[{"on":"left","reason":"archived","enroll":"x"}]                    | then[0].reason
            trigger event no event  | "then":[{"on":"event","enroll":"x"}]                                       | then[0].event
            trigger event bad step  | "then":[{"on":"event","event":"clicked","step":"zzz","enroll":"x"}]        | then[0].step
            triggers not a list     | "then":{"on":"completed"}                                                  | then
            """)
    void each_bad_sequence_rule_is_refused_and_named(String why, String rule, String field) {
        String body = "{\"name\":\"n\"," + rule + ",\"steps\":[{\"id\":\"a\",\"delay\":{\"amount\":1,\"unit\":\"seconds\"},"
                + "\"message\":{}}]," + CHANNEL + "}";
        assertThatThrownBy(() -> SequenceJson.parse(body, CHANNELS))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors()).extracting(FieldError::field).contains(field));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            end without condition   | "onConditionFalse":"end"                                                   | steps[1].onConditionFalse
            unknown on false        | "condition":{"step":"a","is":"read"},"onConditionFalse":"pause"            | steps[1].onConditionFalse
            bad condition           | "condition":{"step":"a","is":"opened"}                                     | steps[1].condition.is
            condition names nothing | "condition":{"step":"zzz","is":"read"}                                     | steps[1]
            branch backwards        | "branches":[{"if":{"step":"a","is":"read"},"goTo":"a"}]                    | steps[1].branches[0].goTo
            branch to nowhere       | "branches":[{"if":{"step":"a","is":"read"},"goTo":"zzz"}]                  | steps[1].branches[0].goTo
            branch without if       | "branches":[{"goTo":"c"}]                                                  | steps[1].branches[0].if
            branch unknown field    | "branches":[{"if":{"step":"a","is":"read"},"goTo":"c","else":"b"}]         | steps[1].branches[0].else
            wait for unknown event  | "waitFor":{"event":"opened"}                                               | steps[1].waitFor.event
            wait for missing step   | "waitFor":{"event":"clicked","step":"zzz"}                                 | steps[1].waitFor.step
            """)
    void each_bad_step_rule_is_refused_and_named(String why, String rule, String field) {
        String body = "{\"name\":\"n\",\"steps\":["
                + "{\"id\":\"a\",\"delay\":{\"amount\":1,\"unit\":\"seconds\"},\"message\":{}},"
                + "{\"id\":\"b\",\"delay\":{\"amount\":1,\"unit\":\"seconds\"},\"message\":{}," + rule + "},"
                + "{\"id\":\"c\",\"delay\":{\"amount\":1,\"unit\":\"seconds\"},\"message\":{}}]," + CHANNEL + "}";
        assertThatThrownBy(() -> SequenceJson.parse(body, CHANNELS))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors()).extracting(FieldError::field).contains(field));
    }

    @Test
    void a_step_may_not_be_called_previous() {
        String body = "{\"name\":\"n\",\"steps\":[{\"id\":\"previous\",\"delay\":{\"amount\":1,\"unit\":\"seconds\"},"
                + "\"message\":{}}]," + CHANNEL + "}";
        assertThatThrownBy(() -> SequenceJson.parse(body, CHANNELS)).isInstanceOfSatisfying(Invalid.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).contains("steps[0].id"));
    }
}
