package io.sequencer.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.channel.ChannelTypes;
import io.sequencer.domain.FieldError;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.channel.ChannelRoute;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A step's own channel and its fallback list in the API: read, checked at their fields, written back. */
class StepChannelsJsonTest {
    private static final ChannelForms CHANNELS = ChannelTypes.ALL.forms();
    private static final String PAGE = """
            {"type":"messenger","pageId":"1234567890","pageTokenSetting":"SEQ_ACME__PAGE"}""";
    private static final String MAIL = """
            {"type":"sendgrid","apiKeySetting":"SEQ_ACME__SG","from":"news@example.com"}""";

    private static String sequence(String step) {
        return "{\"name\":\"N\",\"channel\":" + PAGE + ",\"steps\":[" + step + "]}";
    }

    private static List<String> fieldsAtFault(String body) {
        try {
            SequenceJson.parse(body, CHANNELS);
        } catch (Invalid e) {
            return e.errors().stream().map(FieldError::field).toList();
        }
        throw new AssertionError("accepted: " + body);
    }

    @Test
    void a_step_with_a_fallback_list_reads_and_writes_back_the_same() {
        String body = sequence("""
                {"id":"s","delay":{"amount":2,"unit":"days"},"message":{"text":"Hi"},"outsideWindow":"marketing_message",
                 "fallback":[{"channel":%s,"message":{"subject":"Hi","text":"Hi"}},
                             {"channel":{"type":"webhook","url":"https://hooks.example.com/in"}}]}""".formatted(MAIL));
        SequenceDraft draft = SequenceJson.parse(body, CHANNELS);
        Step step = draft.steps().get(0);
        ChannelRoute route = step.route();
        assertThat(route.channel()).isEmpty();
        assertThat(route.fallback()).extracting(f -> f.channel().type()).containsExactly("sendgrid", "webhook");
        assertThat(route.fallback().get(1).message()).isEmpty();
        assertThat(route.stops(draft.channel(), step.message())).extracting(ChannelRoute.Stop::message)
                .containsExactly("{\"text\":\"Hi\"}", "{\"subject\":\"Hi\",\"text\":\"Hi\"}", "{\"text\":\"Hi\"}");

        var written = SequenceJson.writeSteps(draft.steps(), CHANNELS).get(0);
        assertThat(written.path("fallback").get(0).path("channel").path("type").asText()).isEqualTo("sendgrid");
        assertThat(written.path("fallback").get(1).has("message")).isFalse();
        assertThat(written.has("channel")).isFalse();
    }

    @Test
    void a_step_on_a_channel_of_its_own_must_have_a_message_that_channel_can_send() {
        assertThat(fieldsAtFault(sequence("""
                {"id":"s","delay":{"amount":0,"unit":"seconds"},"message":{"text":"Hi"},"channel":%s}"""
                .formatted(MAIL)))).contains("steps[0].message.subject");
        SequenceDraft fine = SequenceJson.parse(sequence("""
                {"id":"s","delay":{"amount":0,"unit":"seconds"},"message":{"subject":"Hi","text":"Hi"},"channel":%s}"""
                .formatted(MAIL)), CHANNELS);
        assertThat(fine.steps().get(0).route().channel()).hasValueSatisfying(c -> assertThat(c.type()).isEqualTo("sendgrid"));
    }

    @Test
    void problems_are_named_where_they_are() {
        assertThat(fieldsAtFault(sequence("""
                {"id":"s","delay":{"amount":0,"unit":"seconds"},"message":{"text":"Hi"},
                 "channel":{"type":"webhook","url":"ftp://x"}}"""))).contains("steps[0].channel.url");
        assertThat(fieldsAtFault(sequence("""
                {"id":"s","delay":{"amount":0,"unit":"seconds"},"message":{"text":"Hi"},
                 "fallback":[{"channel":%s}]}""".formatted(MAIL)))).contains("steps[0].fallback[0].message.subject");
        assertThat(fieldsAtFault(sequence("""
                {"id":"s","delay":{"amount":0,"unit":"seconds"},"message":{"text":"Hi"},
                 "fallback":[{"channel":{"type":"fax"}, "via":"x"}]}"""))).contains("steps[0].fallback[0].channel.type",
                "steps[0].fallback[0].via");
        assertThat(fieldsAtFault(sequence("""
                {"id":"s","delay":{"amount":0,"unit":"seconds"},"message":{"text":"Hi"},"fallback":{}}""")))
                .contains("steps[0].fallback");
    }

    @Test
    void messenger_fields_need_messenger_somewhere_on_the_route() {
        String webhookSequence = """
                {"name":"N","channel":{"type":"webhook","url":"https://hooks.example.com/in"},"steps":[%s]}""";
        assertThat(fieldsAtFault(webhookSequence.formatted("""
                {"id":"s","delay":{"amount":0,"unit":"seconds"},"message":{"text":"Hi"},"tag":"ACCOUNT_UPDATE"}""")))
                .contains("steps[0].tag");
        SequenceDraft viaPage = SequenceJson.parse(webhookSequence.formatted("""
                {"id":"s","delay":{"amount":0,"unit":"seconds"},"message":{"text":"Hi"},"tag":"ACCOUNT_UPDATE",
                 "channel":%s}""".formatted(PAGE)), CHANNELS);
        assertThat(viaPage.steps().get(0).messaging().tag()).contains("ACCOUNT_UPDATE");
    }

    @Test
    void at_most_three_fallback_channels() {
        String hook = "{\"channel\":{\"type\":\"webhook\",\"url\":\"https://hooks.example.com/in\"}}";
        assertThat(fieldsAtFault(sequence("""
                {"id":"s","delay":{"amount":0,"unit":"seconds"},"message":{"text":"Hi"},"fallback":[%s,%s,%s,%s]}"""
                .formatted(hook, hook, hook, hook)))).containsExactly("steps[0].fallback");
    }

    @Test
    void a_broadcast_takes_a_fallback_list_but_no_step_channel() {
        String body = """
                {"sendAt":"2099-01-01T00:00:00Z","channel":%s,"message":{"text":"Hi"},"audience":{"everyone":true},
                 "fallback":[{"channel":%s,"message":{"subject":"Hi","text":"Hi"}}]}""".formatted(PAGE, MAIL);
        var request = BroadcastJson.parse(body, CHANNELS);
        assertThat(request.route().fallback()).hasSize(1);
        assertThatThrownBy(() -> BroadcastJson.parse(body.replace("\"message\":{\"subject\":\"Hi\",\"text\":\"Hi\"}",
                "\"message\":{\"text\":\"Hi\"}"), CHANNELS)).isInstanceOfSatisfying(Invalid.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).contains("fallback[0].message.subject"));
    }
}
