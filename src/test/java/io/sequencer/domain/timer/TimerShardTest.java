package io.sequencer.domain.timer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.enrollment.EnrollmentKey;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimerShardTest {
    private static final int ENROLLMENTS = 10_000;

    private static EnrollmentKey key(int i) {
        return new EnrollmentKey("acme", "welcome", "sub-" + i);
    }

    @Test
    void one_shard_takes_everything() {
        for (int i = 0; i < 100; i++) {
            assertThat(TimerShard.of(key(i), 1)).isZero();
        }
    }

    @Test
    void an_enrollment_always_maps_to_the_same_shard_fixed_by_its_key_alone() {
        // Pinned values: a change of the hash would move queued ticks of running enrollments to another queue.
        Map<Integer, Integer> pinned = new HashMap<>();
        for (int shards = 1; shards <= TimerShard.MAX; shards++) {
            pinned.put(shards, TimerShard.of(new EnrollmentKey("acme", "welcome", "ann"), shards));
        }
        assertThat(pinned).isEqualTo(Map.of(1, 0, 2, 0, 3, 0, 4, 2));
        assertThat(TimerShard.of(new EnrollmentKey("acme", "welcome", "bob"), 2)).isEqualTo(1);
    }

    @Test
    void the_account_the_sequence_and_the_subscriber_all_take_part() {
        int moved = 0;
        for (int i = 0; i < 200; i++) {
            int base = TimerShard.of(new EnrollmentKey("acme", "welcome", "sub-" + i), 4);
            moved += TimerShard.of(new EnrollmentKey("acme", "welcome-2", "sub-" + i), 4) != base ? 1 : 0;
            moved += TimerShard.of(new EnrollmentKey("other", "welcome", "sub-" + i), 4) != base ? 1 : 0;
        }
        assertThat(moved).as("about 3 in 4 of 400 keys move when the sequence or the account changes")
                .isBetween(250, 350);
    }

    @Test
    void enrollments_spread_evenly_over_the_shards() {
        for (int shards = 2; shards <= TimerShard.MAX; shards++) {
            int[] counts = new int[shards];
            for (int i = 0; i < ENROLLMENTS; i++) {
                counts[TimerShard.of(key(i), shards)]++;
            }
            double even = (double) ENROLLMENTS / shards;
            for (int count : counts) {
                assertThat(count).as(shards + " shards").isBetween((int) (even * 0.95), (int) (even * 1.05));
            }
        }
    }

    @Test
    void a_shard_count_outside_one_to_max_is_refused() {
        EnrollmentKey key = key(1);
        assertThatThrownBy(() -> TimerShard.of(key, 0)).hasMessage("shards must be 1 to 4, was 0");
        assertThatThrownBy(() -> TimerShard.of(key, TimerShard.MAX + 1)).hasMessage("shards must be 1 to 4, was 5");
    }
}
