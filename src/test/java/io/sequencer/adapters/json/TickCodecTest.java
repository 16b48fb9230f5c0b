package io.sequencer.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.timer.ParkedTick;
import io.sequencer.domain.timer.Tick;
import io.sequencer.domain.timer.TickGroup;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TickCodecTest {

    @Test
    void a_tick_survives_the_round_trip_and_stays_small() {
        Tick tick = new Tick(new EnrollmentKey("acme", "welcome", "x".repeat(128)), 7, 3, "s".repeat(128),
                Instant.parse("2026-05-01T10:15:30.123456789Z"), "3f2b7c1e-0000-4000-8000-000000000000", 4, 2, 0);
        String text = TickCodec.encode(tick);
        assertThat(TickCodec.decode(text)).isEqualTo(tick);
        assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThan(1024);
    }

    /** A group as large as it may be, every id at its longest. */
    private static TickGroup largestGroup() {
        List<TickGroup.Member> members = new ArrayList<>();
        for (int i = 0; i < TickGroup.MAX_MEMBERS; i++) {
            members.add(new TickGroup.Member(String.format("%0128d", i), 1,
                    Instant.parse("2026-05-01T10:15:30.123456789Z"), "3f2b7c1e-0000-4000-8000-" + String.format("%012d", i)));
        }
        return new TickGroup("a".repeat(128), "w".repeat(128), 0, "s".repeat(128), members);
    }

    @Test
    void a_group_survives_the_round_trip_as_a_timer_and_parked_and_fits_a_queue_message_base64_encoded() {
        TickGroup group = largestGroup();
        String text = TickCodec.encodeGroup(group);
        assertThat(TickCodec.decodeTimer(text)).isEqualTo(group);
        assertThat(TickCodec.ticksIn(text)).isEqualTo(group.ticks());
        assertThat(Base64.getEncoder().encode(text.getBytes(StandardCharsets.UTF_8)).length).isLessThan(64 * 1024);
        ParkedTick parked = new ParkedTick(group, Instant.parse("2026-05-08T10:15:31Z"));
        String parkedText = TickCodec.encodeParked(parked);
        assertThat(TickCodec.decodeParked(parkedText)).isEqualTo(parked);
        assertThat(TickCodec.ticksIn(parkedText)).isEqualTo(group.ticks());
    }

    @Test
    void a_single_tick_reads_as_a_timer_too_and_a_group_is_never_read_as_a_tick() {
        Tick tick = largestGroup().ticks().get(0);
        assertThat(TickCodec.decodeTimer(TickCodec.encode(tick))).isEqualTo(tick);
        assertThatThrownBy(() -> TickCodec.decode(TickCodec.encodeGroup(largestGroup())))
                .isInstanceOf(TickCodec.MalformedTick.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"v\":1,\"group\":{}}", "{\"v\":1,\"group\":{\"account\":\"a\",\"sequenceId\":\"s\",\"cursor\":0,\"stepId\":\"x\",\"members\":[]}}",
            "{\"v\":1,\"group\":{\"account\":\"a\",\"sequenceId\":\"s\",\"cursor\":0,\"stepId\":\"x\",\"members\":[{\"subscriberId\":\"u\",\"epoch\":1,\"dueAt\":\"2026-01-01T00:00:00Z\"}]}}"})
    void a_group_missing_its_members_or_their_fields_is_malformed(String text) {
        assertThatThrownBy(() -> TickCodec.decodeTimer(text)).isInstanceOf(TickCodec.MalformedTick.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "{}", "{\"v\":2}", "{\"v\":1,\"account\":\"a/b\"}",
            "{\"v\":1,\"account\":\"a\",\"sequenceId\":\"s\",\"subscriberId\":\"u\",\"epoch\":1,\"cursor\":0,\"stepId\":\"x\",\"dueAt\":\"yesterday\",\"token\":\"t\",\"attempt\":1,\"waits\":0}"})
    void anything_else_is_a_malformed_tick(String text) {
        assertThatThrownBy(() -> TickCodec.decode(text)).isInstanceOf(TickCodec.MalformedTick.class);
    }

    private static final String WITHOUT_EPOCH = "{\"v\":1,\"account\":\"acme\",\"sequenceId\":\"welcome\","
            + "\"subscriberId\":\"sub-1\",\"cursor\":1,\"stepId\":\"s2\",\"dueAt\":\"2026-03-01T11:00:00Z\","
            + "\"token\":\"tok-2\",\"attempt\":1,\"waits\":0,\"holds\":0}";

    @Test
    void a_tick_without_its_epoch_is_malformed_never_epoch_zero() {
        // Epoch 0 could match a fresh enrollment and send for a tick that should have been stale.
        assertThatThrownBy(() -> TickCodec.decode(WITHOUT_EPOCH))
                .isInstanceOf(TickCodec.MalformedTick.class)
                .hasMessage("malformed tick: epoch is missing (tick of EnrollmentKey[account=acme, sequenceId=welcome, "
                        + "subscriberId=sub-1])");
    }

    @Test
    void a_parked_tick_without_its_epoch_is_malformed() {
        String parked = "{\"v\":1,\"fireAt\":\"2026-03-08T10:00:00Z\",\"tick\":" + WITHOUT_EPOCH + "}";
        assertThatThrownBy(() -> TickCodec.decodeParked(parked))
                .isInstanceOf(TickCodec.MalformedTick.class)
                .hasMessageContaining("epoch is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cursor", "token", "stepId", "dueAt"})
    void a_tick_without_a_required_field_names_it(String field) {
        String text = TickCodec.encode(new Tick(new EnrollmentKey("acme", "welcome", "sub-1"), 3, 1, "s2",
                Instant.parse("2026-03-01T11:00:00Z"), "tok", 1, 0, 0));
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) Json.read(text);
        node.remove(field);
        assertThatThrownBy(() -> TickCodec.decode(Json.write(node)))
                .isInstanceOf(TickCodec.MalformedTick.class)
                .hasMessageContaining(field + " is missing");
    }

    @Test
    void counts_left_out_of_a_tick_are_those_of_a_first_delivery() {
        String text = WITHOUT_EPOCH.replace("\"cursor\":1,", "\"epoch\":4,\"cursor\":1,")
                .replace(",\"attempt\":1,\"waits\":0,\"holds\":0", "");
        Tick tick = TickCodec.decode(text);
        assertThat(tick.epoch()).isEqualTo(4);
        assertThat(tick.attempt()).isEqualTo(1);
        assertThat(tick.waits() + tick.holds()).isZero();
    }
}
