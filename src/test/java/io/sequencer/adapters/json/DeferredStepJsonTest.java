package io.sequencer.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.domain.enrollment.DeferredStep;
import io.sequencer.domain.subscriber.TimelineEntry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A step waiting for its destination's open circuit, as the enrollment and the timeline show it. */
class DeferredStepJsonTest {
    private static final DeferredStep WAITING = new DeferredStep(3, "tips", "https://hooks.example:443",
            Instant.parse("2026-03-01T09:00:00Z"), Instant.parse("2026-03-01T09:00:31.5Z"));

    @Test
    void the_timeline_lists_it_as_step_deferred_at_when_it_was_first_put_off() {
        JsonNode entry = Json.read(Json.write(TimelineJson.write(new TimelineEntry.Deferred("welcome", WAITING))));
        assertThat(entry.path("type").asText()).isEqualTo("step.deferred");
        assertThat(entry.path("at").asText()).isEqualTo("2026-03-01T09:00:00Z");
        assertThat(entry.path("sequenceId").asText()).isEqualTo("welcome");
        assertThat(entry.path("stepId").asText()).isEqualTo("tips");
        assertThat(entry.path("reason").asText()).isEqualTo("circuit_open");
        assertThat(entry.path("destination").asText()).isEqualTo("https://hooks.example:443");
        assertThat(entry.path("since").asText()).isEqualTo("2026-03-01T09:00:00Z");
        assertThat(entry.path("until").asText()).isEqualTo("2026-03-01T09:00:31.500Z");
    }
}
