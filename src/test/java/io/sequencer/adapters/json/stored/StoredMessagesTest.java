package io.sequencer.adapters.json.stored;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.adapters.azure.QueueImportQueue;
import io.sequencer.adapters.json.BroadcastCodec;
import io.sequencer.adapters.json.JobJson;
import io.sequencer.adapters.json.NoticeSignalCodec;
import io.sequencer.adapters.json.TickCodec;
import io.sequencer.domain.timer.ParkedTick;
import io.sequencer.engine.notification.NoticeQueue;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every queue message format there has been reads to its value; writing a value gives the current format. */
class StoredMessagesTest {
    static final Instant PARKED_UNTIL = StoredSamples.CREATED.plusSeconds(7 * 86400);

    @Test
    void ticks() {
        assertThat(TickCodec.decode(StoredFixtures.text("tick/v1.json"))).isEqualTo(StoredSamples.tick());
        assertThat(TickCodec.encode(StoredSamples.tick())).isEqualTo(StoredFixtures.text("tick/v1.json"));
    }

    @Test
    void parked_ticks() {
        assertThat(TickCodec.decodeParked(StoredFixtures.text("parked-tick/v1.json"))).isEqualTo(StoredSamples.parkedTick());
        assertThat(TickCodec.encodeParked(StoredSamples.parkedTick())).isEqualTo(StoredFixtures.text("parked-tick/v1.json"));
    }

    /** The first ticks of a batch enroll due in the same second, in one message (format version 1 from the start). */
    @Test
    void tick_groups() {
        assertThat(TickCodec.decodeTimer(StoredFixtures.text("tick-group/v1.json"))).isEqualTo(StoredSamples.tickGroup());
        assertThat(TickCodec.ticksIn(StoredFixtures.text("tick-group/v1.json"))).isEqualTo(StoredSamples.tickGroup().ticks());
        assertThat(TickCodec.encodeGroup(StoredSamples.tickGroup())).isEqualTo(StoredFixtures.text("tick-group/v1.json"));
    }

    @Test
    void parked_tick_groups() {
        ParkedTick parked = new ParkedTick(StoredSamples.tickGroup(), PARKED_UNTIL);
        assertThat(TickCodec.decodeParked(StoredFixtures.text("parked-tick-group/v1.json"))).isEqualTo(parked);
        assertThat(TickCodec.encodeParked(parked)).isEqualTo(StoredFixtures.text("parked-tick-group/v1.json"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v0", "v1"})
    void import_wakes(String version) {
        assertThat(QueueImportQueue.decode(StoredFixtures.text("import-wake/" + version + ".json")))
                .isEqualTo(new QueueImportQueue.Wake("acme", "imp-1"));
    }

    @Test
    void an_import_wake_is_written_in_the_current_format() {
        assertThat(QueueImportQueue.encode("acme", "imp-1")).isEqualTo(StoredFixtures.text("import-wake/v1.json"));
    }

    @Test
    void an_import_wake_without_its_import_names_the_field() {
        assertThatThrownBy(() -> QueueImportQueue.decode("{\"v\":1,\"account\":\"acme\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an import wake's importId is missing");
    }

    @Test
    void job_pages() {
        assertThat(JobJson.decodePage(StoredFixtures.text("job-page/v1.json"))).isEqualTo(StoredSamples.jobPage());
        assertThat(JobJson.encodePage(StoredSamples.jobPage())).isEqualTo(StoredFixtures.text("job-page/v1.json"));
    }

    @Test
    void fan_out_pages() {
        assertThat(BroadcastCodec.decodePage(StoredFixtures.text("fan-out-page/v1.json"))).isEqualTo(StoredSamples.fanOutPage());
        assertThat(BroadcastCodec.encode(StoredSamples.fanOutPage())).isEqualTo(StoredFixtures.text("fan-out-page/v1.json"));
    }

    @Test
    void send_chunks() {
        assertThat(BroadcastCodec.decodeChunk(StoredFixtures.text("send-chunk/v1.json"))).isEqualTo(StoredSamples.sendChunk());
        assertThat(BroadcastCodec.encode(StoredSamples.sendChunk())).isEqualTo(StoredFixtures.text("send-chunk/v1.json"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v0", "v1"})
    void parked_send_chunks(String version) {
        assertThat(BroadcastCodec.decodeParked(StoredFixtures.text("parked-send-chunk/" + version + ".json")))
                .isEqualTo(new BroadcastCodec.ParkedChunk(StoredSamples.sendChunk(), PARKED_UNTIL));
    }

    @Test
    void a_parked_send_chunk_is_written_in_the_current_format() {
        assertThat(BroadcastCodec.encodeParked(StoredSamples.sendChunk(), PARKED_UNTIL))
                .isEqualTo(StoredFixtures.text("parked-send-chunk/v1.json"));
    }

    /** Signals written before they named the last event of their write name none: any outbox fulfils them. */
    @ParameterizedTest
    @ValueSource(strings = {"v0", "v1"})
    void notice_signals_without_an_event_number(String version) {
        assertThat(NoticeSignalCodec.decode(StoredFixtures.text("notice-signal/" + version + ".json")))
                .isEqualTo(new NoticeSignalCodec.Signalled(StoredSamples.KEY, NoticeQueue.ANY));
    }

    @Test
    void notice_signals_naming_the_last_event_of_their_write() {
        assertThat(NoticeSignalCodec.decode(StoredFixtures.text("notice-signal/v1-up-to.json")))
                .isEqualTo(new NoticeSignalCodec.Signalled(StoredSamples.KEY, 7));
    }

    @Test
    void a_notice_signal_is_written_in_the_current_format() {
        assertThat(NoticeSignalCodec.encode(StoredSamples.KEY, 7))
                .isEqualTo(StoredFixtures.text("notice-signal/v1-up-to.json"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.5", "\"7\"", "null"})
    void a_notice_signal_with_an_event_number_that_is_none_names_the_field(String upTo) {
        assertThatThrownBy(() -> NoticeSignalCodec.decode(
                "{\"v\":1,\"account\":\"acme\",\"sequenceId\":\"welcome\",\"subscriberId\":\"s\",\"upTo\":" + upTo + "}"))
                .isInstanceOf(NoticeSignalCodec.MalformedSignal.class)
                .hasMessageContaining("upTo");
    }

    @Test
    void a_fan_out_page_without_its_page_names_the_field() {
        assertThatThrownBy(() -> BroadcastCodec.decodePage("{\"v\":1,\"account\":\"acme\",\"broadcastId\":\"b\"}"))
                .isInstanceOf(BroadcastCodec.MalformedMessage.class)
                .hasMessageContaining("page is missing");
    }

    @Test
    void a_notice_signal_without_its_subscriber_names_the_field() {
        assertThatThrownBy(() -> NoticeSignalCodec.decode("{\"account\":\"acme\",\"sequenceId\":\"welcome\"}"))
                .isInstanceOf(NoticeSignalCodec.MalformedSignal.class)
                .hasMessage("malformed notice signal: subscriberId is missing");
    }
}
