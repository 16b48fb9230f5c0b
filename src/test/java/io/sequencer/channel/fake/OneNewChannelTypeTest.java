package io.sequencer.channel.fake;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.adapters.channel.SecretSettings;
import io.sequencer.adapters.json.Json;
import io.sequencer.adapters.json.SequenceJson;
import io.sequencer.adapters.json.stored.StoredSequence;
import io.sequencer.channel.ChannelTypes;
import io.sequencer.channel.SenderKit;
import io.sequencer.channel.SettingReader;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.EngineFixture;
import io.sequencer.engine.Sequencer;
import io.sequencer.engine.secret.SecretLookup;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * Adding a channel type is one new package and one line of registration: the test-only {@code fake} type (this
 * package, nothing in src/main) registered with {@link ChannelTypes#with} is read from a request, stored, read back,
 * written to the API and sent through the engine.
 */
class OneNewChannelTypeTest {
    private static final String BODY = """
            {"name":"Welcome","channel":{"type":"fake","inbox":"ann-box"},
             "steps":[{"id":"hello","delay":{"amount":0,"unit":"seconds"},"message":{"text":"hi"}},
                      {"id":"later","delay":{"amount":1,"unit":"hours"},"message":{"text":"again"}}]}""";

    private final FakeType fake = new FakeType();
    private final ChannelTypes types = ChannelTypes.ALL.with(fake);

    @Test
    void a_sequence_on_a_registered_type_is_read_stored_read_back_and_written_like_any_other() {
        SequenceDraft draft = SequenceJson.parse(BODY, types.forms());
        assertThat(draft.channel()).isEqualTo(new FakeConfig("ann-box"));

        Sequence sequence = Sequence.create(ACCOUNT, SEQUENCE, draft, Instant.EPOCH);
        Map<String, Object> row = StoredSequence.write(sequence, types.storedForms());
        assertThat(row.get("channel")).isEqualTo("{\"type\":\"fake\",\"inbox\":\"ann-box\"}");
        assertThat(StoredSequence.read(ACCOUNT, SEQUENCE, row, types.storedForms())).isEqualTo(sequence);
        assertThat(Json.write(SequenceJson.write(sequence, types.forms()).get("channel")))
                .isEqualTo("{\"type\":\"fake\",\"inbox\":\"ann-box\"}");
    }

    @Test
    void without_its_line_of_registration_the_type_is_refused_naming_the_types_there_are() {
        assertThatThrownBy(() -> SequenceJson.parse(BODY, ChannelTypes.ALL.forms()))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.getMessage())
                        .contains("channel.type").contains("must be one of webhook, messenger, sendgrid"));
        assertThatThrownBy(() -> SequenceJson.parse(BODY.replace("\"inbox\":\"ann-box\"", "\"box\":1"), types.forms()))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.getMessage()).contains("channel.inbox"));
    }

    @Test
    void the_engine_sends_every_step_of_a_sequence_on_the_new_type_through_its_sender() {
        EngineFixture f = new EngineFixture();
        SenderKit kit = new SenderKit(new OkHttpClient(), new SecretSettings(name -> null), SecretLookup.NONE,
                new SettingReader(name -> null), f.clock);
        Sequencer engine = f.builder().channelTypes(types.rules()).channel(types.router(kit)).build();
        engine.sequences().define(ACCOUNT, SEQUENCE, SequenceJson.parse(BODY, types.forms()));

        engine.enrollments().enroll(EngineFixture.subscriber("ann"));
        f.clock.advance(Duration.ofHours(2));
        Optional<Tick> next;
        while ((next = f.queue.takeNextVisible()).isPresent()) {
            engine.ticks().handle(next.get());
            f.clock.advance(Duration.ofHours(1));
        }

        assertThat(fake.sent()).extracting(d -> d.message()).containsExactly("{\"text\":\"hi\"}", "{\"text\":\"again\"}");
        assertThat(fake.sent()).allSatisfy(d -> assertThat(d.target().account()).isEqualTo(ACCOUNT));
        assertThat(f.channel.deliveries()).isEmpty();
    }
}
