package io.sequencer.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.adapters.json.stored.StoredBroadcast;
import io.sequencer.channel.ChannelTypes;
import io.sequencer.domain.FieldError;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.broadcast.AudienceMember;
import io.sequencer.domain.broadcast.BroadcastTime;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.engine.broadcast.BroadcastRequest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BroadcastJsonTest {
    private static final ChannelForms CHANNELS = ChannelTypes.ALL.forms();
    private static final String WEBHOOK = "\"channel\":{\"type\":\"webhook\",\"url\":\"https://host.example/hook\"}";

    @Test
    void a_local_time_broadcast_with_listed_and_matched_subscribers_is_read() {
        BroadcastRequest r = BroadcastJson.parse("""
                {"sendAtLocal":"2026-12-04T10:00","fallbackTimezone":"America/New_York",%s,"message":{"text":"Hi"},
                 "audience":{"subscribers":["a",{"subscriberId":"b","timezone":"Asia/Tokyo","attributes":{"tier":"gold"}}],
                             "match":{"attribute":"tier","is":"gold"}}}""".formatted(WEBHOOK), CHANNELS);
        assertThat(r.sendTime()).isEqualTo(new BroadcastTime.Local(LocalDateTime.parse("2026-12-04T10:00"),
                ZoneId.of("America/New_York")));
        assertThat(r.listed()).containsExactly(AudienceMember.of("a"), new AudienceMember("b",
                Optional.of(ZoneId.of("Asia/Tokyo")), Map.of("tier", Optional.of(new AttributeValue.Text("gold")))));
        assertThat(r.match()).isPresent();
        assertThat(r.everyone()).isFalse();
        assertThat(Json.read(r.message()).path("text").asText()).isEqualTo("Hi");
    }

    @Test
    void every_bad_field_is_named() {
        Invalid invalid = (Invalid) catchInvalid("""
                {"sendAt":"tomorrow","fallbackTimezone":"UTC","channel":{"type":"fax"},"message":"hi","tag":"X",
                 "audience":{"subscribers":[7],"everyone":"yes","match":{"step":"previous","is":"clicked"}},"extra":1}""");
        assertThat(invalid.errors()).extracting(FieldError::field).contains("sendAt", "fallbackTimezone", "channel.type",
                "message", "tag", "audience.subscribers[0]", "audience.everyone", "audience.match", "extra");
    }

    @Test
    void stored_forms_read_back_as_written() {
        List<AudienceMember> members = List.of(AudienceMember.of("a"), new AudienceMember("b",
                Optional.of(ZoneId.of("Asia/Tokyo")), Map.of("n", Optional.of(new AttributeValue.Flag(true)))));
        assertThat(StoredBroadcast.readMembers("b/listed", StoredBroadcast.writeMembers(members))).isEqualTo(members);
    }

    @Test
    void queue_messages_round_trip_and_foreign_text_is_refused() {
        var chunk = new io.sequencer.domain.broadcast.SendChunk("acme", "friday", Instant.parse("2026-12-04T10:00:00Z"),
                List.of("a", "b"));
        assertThat(BroadcastCodec.decodeChunk(BroadcastCodec.encode(chunk))).isEqualTo(chunk);
        var page = new io.sequencer.domain.broadcast.FanOutPage("acme", "friday", 3, 1);
        assertThat(BroadcastCodec.decodePage(BroadcastCodec.encode(page))).isEqualTo(page);
        assertThatThrownBy(() -> BroadcastCodec.decodeChunk("{\"v\":1}")).isInstanceOf(BroadcastCodec.MalformedMessage.class);
        assertThatThrownBy(() -> BroadcastCodec.decodePage("not json")).isInstanceOf(BroadcastCodec.MalformedMessage.class);
    }

    private static RuntimeException catchInvalid(String body) {
        try {
            BroadcastJson.parse(body, CHANNELS);
        } catch (Invalid e) {
            return e;
        }
        throw new AssertionError("accepted: " + body);
    }
}
