package io.sequencer.adapters.json.stored;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.ChannelForms;
import io.sequencer.adapters.json.Json;
import io.sequencer.adapters.json.SequenceJson;
import io.sequencer.channel.ChannelTypes;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.sequence.Sequence;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StoredSequenceTest {
    private static final ChannelForms CHANNELS = ChannelTypes.ALL.forms();
    private static final StoredChannelForms STORED_CHANNELS = ChannelTypes.ALL.storedForms();
    static Stream<Arguments> everyVersion() {
        return Stream.of("v0", "v1").flatMap(v -> Stream.of(
                Arguments.of("sequence/" + v + "-webhook.json", (Supplier<Sequence>) StoredSamples::webhookSequence),
                Arguments.of("sequence/" + v + "-messenger.json", (Supplier<Sequence>) StoredSamples::messengerSequence),
                Arguments.of("sequence/" + v + "-sendgrid.json", (Supplier<Sequence>) StoredSamples::sendGridSequence)));
    }

    /** Formats that first appeared in version 1. */
    static Stream<Arguments> sinceVersionOne() {
        return Stream.of(Arguments.of("sequence/v1-fallback.json", (Supplier<Sequence>) StoredSamples::fallbackSequence));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sinceVersionOne")
    void a_stored_sequence_with_step_channels_reads_and_writes_its_fixture(String fixture, Supplier<Sequence> sample) {
        assertThat(StoredSequence.read("acme", "row", StoredFixtures.row(fixture), STORED_CHANNELS)).isEqualTo(sample.get());
        assertThat(StoredFixtures.asFixture(StoredSequence.write(sample.get(), STORED_CHANNELS)))
                .isEqualTo(Json.read(StoredFixtures.text(fixture)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyVersion")
    void every_stored_version_reads_to_its_sequence(String fixture, Supplier<Sequence> expected) {
        assertThat(StoredSequence.read("acme", "row", StoredFixtures.row(fixture), STORED_CHANNELS)).isEqualTo(expected.get());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyVersion")
    void writing_a_sequence_yields_the_current_fixture(String fixture, Supplier<Sequence> sample) {
        String current = fixture.replace("/v0-", "/v1-");
        assertThat(StoredFixtures.asFixture(StoredSequence.write(sample.get(), STORED_CHANNELS)))
                .isEqualTo(Json.read(StoredFixtures.text(current)));
    }

    @Test
    void a_stored_sequence_the_api_would_now_reject_still_reads() {
        Map<String, Object> row = StoredFixtures.row("sequence/v1-webhook.json");
        String longName = "n".repeat(SequenceJson.MAX_NAME + 50);
        row.put("name", longName);
        ArrayNode steps = (ArrayNode) Json.read((String) row.get("steps_0"));
        // A field no request may carry, and a Messenger tag on a webhook step, which requests refuse.
        ((ObjectNode) steps.get(0)).put("note", "written by an older version").put("tag", "ACCOUNT_UPDATE");
        row.put("steps_0", Json.write(steps));
        row.put("channel", Json.write(((ObjectNode) Json.read((String) row.get("channel"))).put("retired", true)));

        Sequence read = StoredSequence.read("acme", "welcome", row, STORED_CHANNELS);

        assertThat(read.name()).isEqualTo(longName);
        assertThat(read.steps().get(0).messaging().tag()).contains("ACCOUNT_UPDATE");
        assertThat(read.steps()).hasSize(StoredSamples.webhookSequence().steps().size());
        assertThatThrownBy(() -> SequenceJson.parse(Json.write(SequenceJson.write(read, CHANNELS)), CHANNELS))
                .isInstanceOf(Invalid.class)
                .hasMessageContaining("name")
                .hasMessageContaining("steps[0].tag");
    }

    @Test
    void a_missing_required_field_names_the_field_and_the_row() {
        Map<String, Object> row = StoredFixtures.row("sequence/v0-webhook.json");
        row.remove("name");

        assertThatThrownBy(() -> StoredSequence.read("acme", "welcome", row, STORED_CHANNELS))
                .isInstanceOf(UnreadableStoredForm.class)
                .hasMessage("stored sequence acme/welcome: name is missing (format version 0)");
    }

    @Test
    void a_step_without_its_id_names_the_step() {
        Map<String, Object> row = StoredFixtures.row("sequence/v1-webhook.json");
        ArrayNode steps = (ArrayNode) Json.read((String) row.get("steps_0"));
        ((ObjectNode) steps.get(2)).remove("id");
        row.put("steps_0", Json.write(steps));

        assertThatThrownBy(() -> StoredSequence.read("acme", "welcome", row, STORED_CHANNELS))
                .isInstanceOf(UnreadableStoredForm.class)
                .hasMessage("stored sequence acme/welcome: steps[2].id is missing");
    }

    @Test
    void a_row_of_a_newer_format_is_refused_by_name() {
        Map<String, Object> row = StoredFixtures.row("sequence/v1-webhook.json");
        row.put("v", 2);

        assertThatThrownBy(() -> StoredSequence.read("acme", "welcome", row, STORED_CHANNELS))
                .isInstanceOf(UnreadableStoredForm.class)
                .hasMessageContaining("stored sequence acme/welcome: v is 2");
    }

    @Test
    void a_stored_condition_no_version_wrote_names_its_path() {
        Map<String, Object> row = StoredFixtures.row("sequence/v1-webhook.json");
        row.put("steps_0", ((String) row.get("steps_0")).replace("\"is\":\"read\"", "\"is\":\"opened\""));

        assertThatThrownBy(() -> StoredSequence.read("acme", "welcome", row, STORED_CHANNELS))
                .isInstanceOf(UnreadableStoredForm.class)
                .hasMessageStartingWith("stored sequence acme/welcome: steps[1].condition.all[0].is cannot be read");
    }
}
