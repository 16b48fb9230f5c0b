package io.sequencer.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.adapters.json.stored.StoredCaps;
import io.sequencer.adapters.json.stored.StoredChannelForms;
import io.sequencer.adapters.json.stored.StoredSequence;
import io.sequencer.channel.ChannelTypes;
import io.sequencer.domain.FieldError;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.limit.FrequencyCap;
import io.sequencer.domain.limit.FrequencyLimits;
import io.sequencer.domain.limit.SendLog;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceDraft;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LimitsJsonTest {
    private static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");
    private static final Set<String> TYPES = Set.of("webhook", "messenger", "sendgrid");

    private static List<String> fieldsAtFault(String body) {
        try {
            LimitsJson.parse("acme", body, TYPES, NOW);
        } catch (Invalid e) {
            return e.errors().stream().map(FieldError::field).toList();
        }
        throw new AssertionError("accepted: " + body);
    }

    @Test
    void caps_are_read_written_and_stored_alike() {
        FrequencyLimits limits = LimitsJson.parse("acme", """
                {"perSubscriber":[{"max":3,"per":"P1D"},{"max":10,"per":"P7D"},{"max":1,"per":"PT12H","channel":"messenger"}],
                 "over":"skip"}""", TYPES, NOW);
        assertThat(limits).isEqualTo(new FrequencyLimits("acme", List.of(
                new FrequencyCap(3, Duration.ofDays(1), Optional.empty()),
                new FrequencyCap(10, Duration.ofDays(7), Optional.empty()),
                new FrequencyCap(1, Duration.ofHours(12), Optional.of("messenger"))), FrequencyLimits.Over.SKIP, NOW));
        String written = Json.write(LimitsJson.write(limits));
        assertThat(written).contains("\"per\":\"P7D\"", "\"per\":\"PT12H\"", "\"over\":\"skip\"");
        assertThat(LimitsJson.parse("acme", written, TYPES, NOW)).isEqualTo(limits);
        assertThat(StoredCaps.readLimits("acme", StoredCaps.writeLimits(limits))).isEqualTo(limits);
        assertThat(LimitsJson.parse("acme", "{\"perSubscriber\":[{\"max\":1,\"per\":\"PT1M\"}]}", TYPES, NOW).over())
                .isEqualTo(FrequencyLimits.Over.HOLD);
    }

    @Test
    void every_bad_field_is_named() {
        assertThat(fieldsAtFault("{}")).containsExactly("perSubscriber");
        assertThat(fieldsAtFault("{\"perSubscriber\":[]}")).containsExactly("perSubscriber");
        assertThat(fieldsAtFault("{\"perSubscriber\":[{\"max\":1,\"per\":\"P1D\"},{\"max\":1,\"per\":\"P1D\"},"
                + "{\"max\":1,\"per\":\"P1D\"},{\"max\":1,\"per\":\"P1D\"},{\"max\":1,\"per\":\"P1D\"},{\"max\":1,\"per\":\"P1D\"}]}"))
                .containsExactly("perSubscriber");
        assertThat(fieldsAtFault("""
                {"perSubscriber":[{"max":0,"per":"P1D"},{"max":1.5,"per":"P1D"},{"max":1,"per":"tomorrow"},
                 {"max":1,"per":"PT30S"},{"max":1,"per":"P40D","channel":"sms"}],"over":"later","extra":1}"""))
                .containsExactlyInAnyOrder("perSubscriber[0].max", "perSubscriber[1].max", "perSubscriber[2].per",
                        "perSubscriber[3].per", "perSubscriber[4].per", "perSubscriber[4].channel", "over", "extra");
        assertThat(fieldsAtFault("{\"perSubscriber\":[{\"per\":\"P1D\",\"min\":1}]}"))
                .containsExactlyInAnyOrder("perSubscriber[0].max", "perSubscriber[0].min");
    }

    @Test
    void a_send_log_keeps_its_entries_in_storage() {
        SendLog log = SendLog.EMPTY.with(new SendLog.Entry("d1", NOW, "webhook"), Duration.ofDays(1))
                .with(new SendLog.Entry("d2", NOW.plusSeconds(1), "messenger"), Duration.ofDays(1));
        assertThat(StoredCaps.readLog("log", StoredCaps.writeLog(log))).isEqualTo(log);
    }

    @Test
    void an_exempt_step_is_read_written_and_stored_and_must_be_a_boolean() {
        String body = """
                {"name":"n","steps":[{"id":"a","delay":{"amount":0,"unit":"seconds"},"message":{},"exempt":true},
                 {"id":"b","delay":{"amount":1,"unit":"days"},"message":{}}],"channel":{"type":"webhook","url":"http://h/x"}}""";
        var channels = ChannelTypes.ALL.forms();
        SequenceDraft draft = SequenceJson.parse(body, channels);
        assertThat(draft.steps()).extracting(s -> s.messaging().exempt()).containsExactly(true, false);
        Sequence sequence = Sequence.create("acme", "receipts", draft, NOW);
        StoredChannelForms stored = ChannelTypes.ALL.storedForms();
        assertThat(StoredSequence.read("acme", "receipts", StoredSequence.write(sequence, stored), stored)).isEqualTo(sequence);
        String written = Json.write(SequenceJson.write(sequence, channels));
        assertThat(written).contains("\"exempt\":true");
        assertThat(SequenceJson.parse(written, channels).steps().get(0).messaging().exempt()).isTrue();
        assertThatThrownBy(() -> SequenceJson.parse(body.replace("\"exempt\":true", "\"exempt\":\"yes\""), channels))
                .isInstanceOf(Invalid.class).hasMessageContaining("steps[0].exempt");
    }

    @Test
    void an_exempt_broadcast_is_read_and_must_be_a_boolean() {
        String body = """
                {"sendAt":"2026-12-04T10:00:00Z","channel":{"type":"webhook","url":"http://h/x"},"message":{"text":"x"},
                 "audience":{"everyone":true},"exempt":true}""";
        assertThat(BroadcastJson.parse(body, ChannelTypes.ALL.forms()).exempt()).isTrue();
        assertThat(BroadcastJson.parse(body.replace(",\"exempt\":true", ""), ChannelTypes.ALL.forms()).exempt()).isFalse();
        assertThatThrownBy(() -> BroadcastJson.parse(body.replace("\"exempt\":true", "\"exempt\":1"),
                ChannelTypes.ALL.forms())).isInstanceOf(Invalid.class).hasMessageContaining("exempt");
    }
}
