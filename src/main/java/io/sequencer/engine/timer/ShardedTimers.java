package io.sequencer.engine.timer;

import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.timer.Tick;
import io.sequencer.domain.timer.TickGroup;
import io.sequencer.domain.timer.TimerShard;
import java.time.Instant;
import java.util.List;

/**
 * The triggered timer queue spread over shards: each tick goes to its enrollment's shard ({@link TimerShard}).
 * Everything that schedules a tick (enrolling, the tick handler's next step, hops, retries, replays and the pump
 * moving parked timers across) goes through here, so one enrollment's ticks always share one queue.
 */
public final class ShardedTimers implements TimerQueue {
    private final List<TimerQueue> shards;

    /** Shard k is {@code shards.get(k)}; there are 1 to {@link TimerShard#MAX} of them. */
    public ShardedTimers(List<? extends TimerQueue> shards) {
        TimerShard.requireCount(shards.size());
        this.shards = List.copyOf(shards);
    }

    @Override
    public void schedule(Tick tick, Instant fireAt) {
        shards.get(TimerShard.of(tick.key(), shards.size())).schedule(tick, fireAt);
    }

    /**
     * A group stays one message, on its first member's shard (so groups spread as enrollments do). Any shard would
     * do: when it fires, each of its ticks is scheduled on its own, through here, onto its enrollment's shard.
     */
    @Override
    public void schedule(TickGroup group, Instant fireAt) {
        EnrollmentKey first = new EnrollmentKey(group.account(), group.sequenceId(), group.members().get(0).subscriberId());
        shards.get(TimerShard.of(first, shards.size())).schedule(group, fireAt);
    }
}
