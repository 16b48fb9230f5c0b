package io.sequencer.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.adapters.json.stored.StoredBroadcast;
import io.sequencer.adapters.json.stored.StoredSequence;
import io.sequencer.channel.ChannelTypes;
import io.sequencer.domain.FieldError;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.broadcast.Audience;
import io.sequencer.domain.broadcast.Broadcast;
import io.sequencer.domain.broadcast.BroadcastReport;
import io.sequencer.domain.broadcast.BroadcastStatus;
import io.sequencer.domain.channel.StepMessaging;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.engine.broadcast.BroadcastRequest;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code "outsideWindow": "marketing_message"} on a Messenger step or broadcast: read, written back, stored, and
 * refused elsewhere.
 */
class MarketingStepJsonTest {
    private static final String MESSENGER = """
            {"name":"Drip","channel":{"type":"messenger","pageId":"1234","pageTokenSetting":"PAGE_TOKEN"},
             "steps":[{"id":"a","delay":{"amount":0,"unit":"seconds"},"message":{"text":"hi"}},
                      {"id":"b","delay":{"amount":2,"unit":"days"},"message":{"text":"sale"},%s}]}""";

    @Test
    void a_marketing_step_is_read_written_and_stored_as_such() {
        SequenceDraft draft = SequenceJson.parse(MESSENGER.formatted("\"outsideWindow\":\"marketing_message\""),
                ChannelTypes.ALL.forms());
        StepMessaging messaging = draft.steps().get(1).messaging();
        assertThat(messaging.marketingMessage()).isTrue();
        assertThat(messaging.holdOutsideWindow()).isFalse();
        assertThat(draft.steps().get(0).messaging()).isEqualTo(StepMessaging.DEFAULT);

        Sequence sequence = Sequence.create("acme", "drip", draft, Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(SequenceJson.write(sequence, ChannelTypes.ALL.forms()).path("steps").get(1).path("outsideWindow")
                .asText()).isEqualTo("marketing_message");
        Sequence stored = StoredSequence.read("acme", "drip",
                StoredSequence.write(sequence, ChannelTypes.ALL.storedForms()), ChannelTypes.ALL.storedForms());
        assertThat(stored.steps().get(1).messaging()).isEqualTo(messaging);
    }

    @Test
    void an_unknown_policy_or_one_outside_messenger_is_a_400_naming_the_field() {
        assertThatThrownBy(() -> SequenceJson.parse(MESSENGER.formatted("\"outsideWindow\":\"marketing\""),
                ChannelTypes.ALL.forms())).isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors())
                .extracting(FieldError::field, FieldError::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("steps[1].outsideWindow",
                        "must be skip, hold or marketing_message")));
        String webhook = MESSENGER.formatted("\"outsideWindow\":\"marketing_message\"").replace(
                "{\"type\":\"messenger\",\"pageId\":\"1234\",\"pageTokenSetting\":\"PAGE_TOKEN\"}",
                "{\"type\":\"webhook\",\"url\":\"https://host.example/hook\",\"secretSetting\":\"HOOK\"}");
        assertThatThrownBy(() -> SequenceJson.parse(webhook, ChannelTypes.ALL.forms()))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("steps[1].outsideWindow"));
    }

    @Test
    void a_marketing_broadcast_is_read_written_and_stored_and_hold_is_refused() {
        String body = """
                {"sendAt":"2026-12-04T10:00:00Z","channel":{"type":"messenger","pageId":"1234","pageTokenSetting":"T"},
                 "message":{"text":"Sale"},"audience":{"everyone":true},%s}""";
        BroadcastRequest request = BroadcastJson.parse(body.formatted("\"outsideWindow\":\"marketing_message\""),
                ChannelTypes.ALL.forms());
        assertThat(request.marketingMessage()).isTrue();
        Broadcast broadcast = Broadcast.schedule("acme", "sale", request.sendTime(), request.channel(), request.message(),
                request.tag(), Audience.of(request.listed(), request.everyone(), request.match()),
                Instant.parse("2026-12-03T10:00:00Z")).withMarketingMessage(true);
        assertThat(StoredBroadcast.read("acme", "sale", StoredBroadcast.write(broadcast, ChannelTypes.ALL.storedForms()),
                ChannelTypes.ALL.storedForms())).isEqualTo(broadcast);
        assertThat(BroadcastJson.write(new BroadcastReport(broadcast, BroadcastStatus.SCHEDULED, 0, 0, Map.of(),
                Map.of(), Map.of(), 0, Instant.parse("2026-12-03T10:00:00Z")), ChannelTypes.ALL.forms()).path("outsideWindow").asText())
                .isEqualTo("marketing_message");
        assertThatThrownBy(() -> BroadcastJson.parse(body.formatted("\"outsideWindow\":\"hold\""),
                ChannelTypes.ALL.forms())).isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.errors())
                .extracting(FieldError::field).containsExactly("outsideWindow"));
    }

    @Test
    void a_marketing_step_or_broadcast_may_also_be_exempt_from_the_caps_and_keeps_both() {
        SequenceDraft draft = SequenceJson.parse(
                MESSENGER.formatted("\"outsideWindow\":\"marketing_message\",\"exempt\":true"), ChannelTypes.ALL.forms());
        StepMessaging messaging = draft.steps().get(1).messaging();
        assertThat(messaging.marketingMessage()).isTrue();
        assertThat(messaging.exempt()).isTrue();
        Sequence sequence = Sequence.create("acme", "drip", draft, Instant.parse("2026-01-01T00:00:00Z"));
        var written = SequenceJson.write(sequence, ChannelTypes.ALL.forms()).path("steps").get(1);
        assertThat(written.path("outsideWindow").asText()).isEqualTo("marketing_message");
        assertThat(written.path("exempt").asBoolean()).isTrue();
        Sequence stored = StoredSequence.read("acme", "drip",
                StoredSequence.write(sequence, ChannelTypes.ALL.storedForms()), ChannelTypes.ALL.storedForms());
        assertThat(stored.steps().get(1).messaging()).isEqualTo(messaging);

        String body = """
                {"sendAt":"2026-12-04T10:00:00Z","channel":{"type":"messenger","pageId":"1234","pageTokenSetting":"T"},
                 "message":{"text":"Sale"},"audience":{"everyone":true},"outsideWindow":"marketing_message","exempt":true}""";
        BroadcastRequest request = BroadcastJson.parse(body, ChannelTypes.ALL.forms());
        assertThat(request.marketingMessage()).isTrue();
        assertThat(request.exempt()).isTrue();
        Broadcast broadcast = Broadcast.schedule("acme", "sale", request.sendTime(), request.channel(), request.message(),
                request.tag(), Audience.of(request.listed(), request.everyone(), request.match()),
                Instant.parse("2026-12-03T10:00:00Z"), request.exempt()).withMarketingMessage(request.marketingMessage());
        assertThat(broadcast.marketingMessage()).isTrue();
        assertThat(broadcast.exempt()).isTrue();
        assertThat(broadcast.cancel(Instant.parse("2026-12-03T11:00:00Z")).exempt()).isTrue();
        assertThat(StoredBroadcast.read("acme", "sale", StoredBroadcast.write(broadcast, ChannelTypes.ALL.storedForms()),
                ChannelTypes.ALL.storedForms())).isEqualTo(broadcast);
        var shown = BroadcastJson.write(new BroadcastReport(broadcast, BroadcastStatus.SCHEDULED, 0, 0, Map.of(),
                Map.of(), Map.of(), 0, Instant.parse("2026-12-03T10:00:00Z")), ChannelTypes.ALL.forms());
        assertThat(shown.path("outsideWindow").asText()).isEqualTo("marketing_message");
        assertThat(shown.path("exempt").asBoolean()).isTrue();
    }
}
