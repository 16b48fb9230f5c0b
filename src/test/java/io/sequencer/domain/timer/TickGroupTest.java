package io.sequencer.domain.timer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.enrollment.EnrollmentKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TickGroupTest {
    private static final Instant NINE = Instant.parse("2026-03-01T09:00:00Z");

    private static Tick first(String sequenceId, String subscriberId, Instant dueAt) {
        return new Tick(new EnrollmentKey("acme", sequenceId, subscriberId), 1, 0, "s1", dueAt, "tok-" + subscriberId, 1, 0, 0);
    }

    @Test
    void first_ticks_of_one_step_due_in_the_same_second_share_a_group_that_gives_them_back_unchanged() {
        List<Tick> ticks = List.of(first("welcome", "ann", NINE.plusMillis(10)), first("welcome", "bob", NINE.plusMillis(990)));
        List<Timer> timers = TickGroup.of(ticks);
        assertThat(timers).hasSize(1).first().isInstanceOf(TickGroup.class);
        TickGroup group = (TickGroup) timers.get(0);
        assertThat(group.ticks()).isEqualTo(ticks);
        assertThat(group.dueAt()).as("the latest member's: nobody fires early").isEqualTo(NINE.plusMillis(990));
        assertThat(group.fireAt()).as("the group fans out ahead, its ticks hidden until due")
                .isEqualTo(NINE.plusMillis(990).minus(TickGroup.FAN_OUT_LEAD));
        assertThat(ticks.get(0).fireAt()).isEqualTo(ticks.get(0).dueAt());
    }

    @Test
    void other_seconds_other_sequences_and_retries_are_not_grouped_and_a_lone_tick_stays_a_tick() {
        Tick ann = first("welcome", "ann", NINE);
        Tick bob = first("welcome", "bob", NINE.plusSeconds(1));
        Tick cy = first("other", "cy", NINE);
        Tick dan = first("welcome", "dan", NINE).nextAttempt();
        assertThat(TickGroup.of(List.of(ann, bob, cy, dan))).containsExactlyInAnyOrder(ann, bob, cy, dan);
    }

    @Test
    void a_second_with_more_ticks_than_a_group_holds_is_split() {
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; i < TickGroup.MAX_MEMBERS * 2 + 1; i++) {
            ticks.add(first("welcome", "s" + i, NINE));
        }
        List<Timer> timers = TickGroup.of(ticks);
        assertThat(timers).hasSize(3);
        assertThat(timers.stream().mapToInt(t -> t instanceof TickGroup g ? g.members().size() : 1))
                .containsExactly(TickGroup.MAX_MEMBERS, TickGroup.MAX_MEMBERS, 1);
    }

    @Test
    void a_group_has_one_to_a_hundred_members_each_a_valid_tick() {
        assertThatThrownBy(() -> new TickGroup("acme", "welcome", 0, "s1", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TickGroup("acme", "welcome", 0, "s1",
                List.of(new TickGroup.Member("ann", 0, NINE, "tok")))).isInstanceOf(IllegalArgumentException.class);
    }
}
