package io.sequencer.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.EnrollmentKey;
import io.sequencer.domain.Tick;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TickCodecTest {

    @Test
    void a_tick_survives_the_round_trip_and_stays_small() {
        Tick tick = new Tick(new EnrollmentKey("acme", "welcome", "x".repeat(128)), 7, 3, "s".repeat(128),
                Instant.parse("2026-05-01T10:15:30.123456789Z"), "3f2b7c1e-0000-4000-8000-000000000000", 4, 2, 0);
        String text = TickCodec.encode(tick);
        assertThat(TickCodec.decode(text)).isEqualTo(tick);
        assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThan(1024);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "{}", "{\"v\":2}", "{\"v\":1,\"account\":\"a/b\"}",
            "{\"v\":1,\"account\":\"a\",\"sequenceId\":\"s\",\"subscriberId\":\"u\",\"epoch\":1,\"cursor\":0,\"stepId\":\"x\",\"dueAt\":\"yesterday\",\"token\":\"t\",\"attempt\":1,\"waits\":0}"})
    void anything_else_is_a_malformed_tick(String text) {
        assertThatThrownBy(() -> TickCodec.decode(text)).isInstanceOf(TickCodec.MalformedTick.class);
    }
}
