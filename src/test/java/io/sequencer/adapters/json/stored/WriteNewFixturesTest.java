package io.sequencer.adapters.json.stored;

import io.sequencer.adapters.json.Json;
import io.sequencer.channel.ChannelTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriteNewFixturesTest {
    @Test
    void write() throws Exception {
        StoredChannelForms channels = ChannelTypes.ALL.storedForms();
        Map<String, Map<String, Object>> rows = Map.of(
                "sequence/v1-fallback.json", StoredSequence.write(StoredSamples.fallbackSequence(), channels),
                "broadcast/v1-fallback.json", StoredBroadcast.write(StoredSamples.fallbackBroadcast(), channels),
                "enrollment/v1-pinned.json", StoredEnrollment.write(StoredSamples.pinnedEnrollment()),
                "recipient/v1-fallback.json", StoredRecipient.write(StoredSamples.fallbackRecipient()));
        for (var e : rows.entrySet()) {
            Path path = Path.of("src/test/resources/stored", e.getKey());
            Files.writeString(path, Json.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(StoredFixtures.asFixture(e.getValue())) + "\n");
        }
    }
}
