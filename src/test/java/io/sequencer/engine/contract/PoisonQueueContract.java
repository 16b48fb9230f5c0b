package io.sequencer.engine.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.timer.ParkedTick;
import io.sequencer.domain.timer.Tick;
import io.sequencer.engine.poison.PoisonQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link PoisonQueue} must do; run against the in-memory queue and an Azure storage queue alike. */
public abstract class PoisonQueueContract {
    protected PoisonQueue queue;

    protected abstract PoisonQueue newQueue();

    /** Puts a tick's message there, as the host moves a tick that failed too often. */
    protected abstract void putTick(Tick tick);

    /** Puts a parked timer's message there, as the parking queue's poison queue may hold one. */
    protected abstract void putParked(ParkedTick parked);

    /** Puts a message that is not a tick. */
    protected abstract void putUnreadable(String text);

    /** Messages in the queue, hidden ones included. */
    protected abstract long depth();

    protected abstract void pass(Duration time);

    @BeforeEach
    void createQueue() {
        queue = newQueue();
    }

    protected static Tick tick(String subscriber) {
        return new Tick(new EnrollmentKey("acme", "welcome", subscriber), 3, 1, "s2",
                Instant.parse("2026-04-01T09:00:00Z"), "token-" + subscriber, 2, 1, 0);
    }

    @Test
    void a_tick_is_claimed_whole_hidden_while_leased_and_gone_once_removed() {
        putTick(tick("ann"));
        List<PoisonQueue.Claim> claims = queue.claim(32, Duration.ofSeconds(30));
        assertThat(claims).extracting(PoisonQueue.Claim::ticks).containsExactly(List.of(tick("ann")));
        assertThat(queue.claim(32, Duration.ofSeconds(30))).isEmpty();
        queue.remove(claims.get(0));
        assertThat(depth()).isZero();
    }

    @Test
    void a_claim_not_removed_comes_back_when_its_lease_ends_so_a_crashed_sweep_loses_nothing() {
        putTick(tick("bob"));
        assertThat(queue.claim(32, Duration.ofSeconds(2))).hasSize(1);
        pass(Duration.ofMillis(2500));
        assertThat(queue.claim(32, Duration.ofSeconds(30))).extracting(PoisonQueue.Claim::ticks)
                .containsExactly(List.of(tick("bob")));
    }

    @Test
    void a_parked_timer_is_read_as_its_tick() {
        putParked(new ParkedTick(tick("cy"), Instant.parse("2026-04-01T09:00:07Z")));
        assertThat(queue.claim(32, Duration.ofSeconds(30))).extracting(PoisonQueue.Claim::ticks)
                .containsExactly(List.of(tick("cy")));
    }

    @Test
    void a_message_that_is_not_a_tick_is_claimed_without_one_and_once_set_aside_stays_hidden_in_the_queue() {
        putUnreadable("not-a-tick");
        List<PoisonQueue.Claim> claims = queue.claim(32, Duration.ofSeconds(2));
        assertThat(claims).extracting(PoisonQueue.Claim::ticks).containsExactly(List.of());
        queue.setAside(claims.get(0), Duration.ofDays(7));
        pass(Duration.ofMillis(2500));
        assertThat(queue.claim(32, Duration.ofSeconds(30))).isEmpty();
        assertThat(depth()).isEqualTo(1);
    }
}
