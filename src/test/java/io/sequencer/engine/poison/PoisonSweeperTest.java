package io.sequencer.engine.poison;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.report.PoisonSummary;
import io.sequencer.domain.timer.PoisonedTick;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.Stored;
import io.sequencer.testing.InMemoryPoisonQueue;
import io.sequencer.testing.InMemoryPoisonedTicks;
import io.sequencer.testing.SteppingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sweeper moves poisoned ticks from the poison queues to their sequences, and leaves the rest for a person. */
class PoisonSweeperTest {
    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final InMemoryPoisonQueue tickPoison = new InMemoryPoisonQueue(clock);
    private final InMemoryPoisonQueue parkedPoison = new InMemoryPoisonQueue(clock);
    private final InMemoryPoisonedTicks poisoned = new InMemoryPoisonedTicks();
    private final PoisonSweeper sweeper = sweeper(tickPoison, parkedPoison);

    private PoisonSweeper sweeper(PoisonQueue ticks, PoisonQueue parked) {
        return new PoisonSweeper(List.of(
                new PoisonSweeper.Source(ticks, PoisonSweeper.TICK_FUNCTION_DID_NOT_FINISH),
                new PoisonSweeper.Source(parked, PoisonSweeper.PUMP_COULD_NOT_READ)), poisoned, clock);
    }

    private static Tick tick(String sequence, String subscriber) {
        return new Tick(new EnrollmentKey("acme", sequence, subscriber), 1, 0, "step-1",
                Instant.parse("2026-03-01T08:00:00Z"), "token-" + subscriber, 1, 0, 0);
    }

    private List<PoisonedTick> entries(String sequence) {
        return poisoned.list("acme", sequence, Optional.empty(), 100).entries().stream().map(Stored::value).toList();
    }

    @Test
    void every_poisoned_tick_is_recorded_for_its_sequence_and_the_queues_are_emptied() {
        tickPoison.put(tick("welcome", "ann"));
        tickPoison.put(tick("welcome", "bob"));
        tickPoison.put(tick("offer", "ann"));
        parkedPoison.put(tick("welcome", "cy"));

        assertThat(sweeper.run(1_000, Duration.ofSeconds(40))).isEqualTo(new PoisonSweeper.Run(4, 0, false));

        assertThat(tickPoison.size()).isZero();
        assertThat(parkedPoison.size()).isZero();
        assertThat(entries("welcome")).extracting(PoisonedTick::tick)
                .containsExactlyInAnyOrder(tick("welcome", "ann"), tick("welcome", "bob"), tick("welcome", "cy"));
        assertThat(entries("offer")).extracting(PoisonedTick::tick).containsExactly(tick("offer", "ann"));
        assertThat(entries("welcome")).filteredOn(e -> e.tick().key().subscriberId().equals("cy"))
                .extracting(PoisonedTick::error).containsExactly(PoisonSweeper.PUMP_COULD_NOT_READ);
    }

    @Test
    void the_error_the_tick_function_recorded_is_kept_and_the_general_reason_only_fills_a_gap() {
        Instant failedAt = clock.instant();
        poisoned.record(tick("welcome", "ann"), "IllegalArgumentException: bad status", failedAt);
        tickPoison.put(tick("welcome", "ann"));
        tickPoison.put(tick("welcome", "bob")); // its function timed out: nothing recorded
        clock.advance(Duration.ofSeconds(30));

        sweeper.run(1_000, Duration.ofSeconds(40));

        assertThat(entries("welcome")).containsExactlyInAnyOrder(
                new PoisonedTick(tick("welcome", "ann"), "IllegalArgumentException: bad status", failedAt, 1),
                new PoisonedTick(tick("welcome", "bob"), PoisonSweeper.TICK_FUNCTION_DID_NOT_FINISH, clock.instant(), 1));
    }

    @Test
    void a_message_that_is_not_a_tick_stays_in_the_queue_out_of_the_way_of_later_sweeps() {
        tickPoison.putUnreadable();
        tickPoison.put(tick("welcome", "ann"));

        assertThat(sweeper.run(1_000, Duration.ofSeconds(40))).isEqualTo(new PoisonSweeper.Run(1, 1, false));
        clock.advance(Duration.ofMinutes(5));
        assertThat(sweeper.run(1_000, Duration.ofSeconds(40))).isEqualTo(new PoisonSweeper.Run(0, 0, false));
        clock.advance(Duration.ofDays(6));
        assertThat(sweeper.run(1_000, Duration.ofSeconds(40))).isEqualTo(new PoisonSweeper.Run(0, 0, false));

        assertThat(tickPoison.size()).isEqualTo(1);
        assertThat(poisoned.summary("acme", "welcome").count()).isEqualTo(1);
    }

    @Test
    void a_crash_between_recording_and_deleting_leaves_the_message_and_the_next_sweep_adds_no_second_entry() {
        tickPoison.put(tick("welcome", "ann"));
        PoisonQueue dying = new PoisonQueue() {
            @Override
            public List<Claim> claim(int max, Duration lease) {
                return tickPoison.claim(max, lease);
            }

            @Override
            public void remove(Claim claim) {
                throw new IllegalStateException("process died");
            }

            @Override
            public void setAside(Claim claim, Duration hidden) {
                tickPoison.setAside(claim, hidden);
            }
        };
        assertThatThrownBy(() -> sweeper(dying, parkedPoison).run(1_000, Duration.ofSeconds(40)))
                .hasMessage("process died");
        assertThat(poisoned.summary("acme", "welcome").count()).isEqualTo(1);

        clock.advance(PoisonSweeper.LEASE.plusSeconds(1));
        assertThat(sweeper.run(1_000, Duration.ofSeconds(40)).recorded()).isEqualTo(1);

        assertThat(tickPoison.size()).isZero();
        assertThat(entries("welcome")).singleElement().extracting(PoisonedTick::times).isEqualTo(1);
    }

    @Test
    void a_run_stops_at_its_message_limit_and_says_more_are_left() {
        for (int i = 0; i < 50; i++) {
            tickPoison.put(tick("welcome", "s" + i));
        }
        PoisonSweeper.Run first = sweeper.run(40, Duration.ofSeconds(40));
        assertThat(first).isEqualTo(new PoisonSweeper.Run(40, 0, true));
        assertThat(sweeper.run(40, Duration.ofSeconds(40))).isEqualTo(new PoisonSweeper.Run(10, 0, false));
        assertThat(poisoned.summary("acme", "welcome").count()).isEqualTo(50);
    }

    @Test
    void messages_set_aside_count_toward_the_runs_limit() {
        for (int i = 0; i < 3; i++) {
            tickPoison.putUnreadable();
        }
        for (int i = 0; i < 40; i++) {
            tickPoison.put(tick("welcome", "s" + i));
        }
        assertThat(sweeper.run(35, Duration.ofSeconds(40))).isEqualTo(new PoisonSweeper.Run(32, 3, true));
    }

    @Test
    void nothing_poisoned_means_nothing_recorded() {
        assertThat(sweeper.run(1_000, Duration.ofSeconds(40))).isEqualTo(new PoisonSweeper.Run(0, 0, false));
        assertThat(poisoned.summary("acme", "welcome")).isEqualTo(PoisonSummary.NONE);
    }
}
