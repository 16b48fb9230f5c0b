package io.sequencer.engine;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.draft;
import static io.sequencer.engine.EngineFixture.subscriber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.channel.ChannelTypes;
import io.sequencer.domain.timer.Tick;
import io.sequencer.domain.timer.TickGroup;
import io.sequencer.domain.timer.TimerShard;
import io.sequencer.engine.send.SendResult;
import io.sequencer.engine.timer.ShardedTimers;
import io.sequencer.engine.timer.TimerPump;
import io.sequencer.engine.timer.TimerQueue;
import io.sequencer.testing.InMemoryEnrollmentStore;
import io.sequencer.testing.InMemoryParkingLot;
import io.sequencer.testing.InMemorySequenceStore;
import io.sequencer.testing.InMemorySubscriberStore;
import io.sequencer.testing.InMemoryTimerQueue;
import io.sequencer.testing.RecordingChannel;
import io.sequencer.testing.SteppingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Timers over two triggered queues: every tick of an enrollment (the first, the next step's, a retry, one the pump
 * moves across from the parking lot) goes to that enrollment's shard.
 */
class ShardedTimersTest {
    private static final Duration HORIZON = Duration.ofMinutes(15);

    private final SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
    private final List<InMemoryTimerQueue> shards = List.of(new InMemoryTimerQueue(clock), new InMemoryTimerQueue(clock));
    private final InMemoryParkingLot parking = new InMemoryParkingLot(clock);
    private final RecordingChannel channel = new RecordingChannel();
    private final Sequencer engine = Sequencer.builder().clock(clock)
            .stores(new InMemorySequenceStore(), new InMemoryEnrollmentStore(), new InMemorySubscriberStore())
            .timers(new ShardedTimers(shards)).parking(parking, HORIZON)
            .channelTypes(ChannelTypes.ALL.rules()).channel(channel).build();

    private static int shardOf(String subscriber) {
        return TimerShard.of(subscriber(subscriber), 2);
    }

    private List<Tick> pending(int shard) {
        return shards.get(shard).pending().stream().map(InMemoryTimerQueue.Message::tick).toList();
    }

    @Test
    void each_enrollment_s_ticks_go_to_its_own_shard_and_only_there() {
        assertThat(shardOf("ann")).as("ann and bob are on different shards").isNotEqualTo(shardOf("bob"));
        engine.sequences().define(ACCOUNT, SEQUENCE, draft(0, 60, 60));
        engine.enrollments().enroll(subscriber("ann"));
        engine.enrollments().enroll(subscriber("bob"));
        assertThat(pending(shardOf("ann"))).extracting(t -> t.key().subscriberId()).containsExactly("ann");
        assertThat(pending(shardOf("bob"))).extracting(t -> t.key().subscriberId()).containsExactly("bob");

        // Each shard's trigger runs its own ticks; the next steps stay on the same shard.
        for (int step = 0; step < 3; step++) {
            clock.advance(Duration.ofSeconds(60));
            for (InMemoryTimerQueue shard : shards) {
                Optional<Tick> tick;
                while ((tick = shard.takeNextVisible()).isPresent()) {
                    engine.ticks().handle(tick.get());
                    shards.forEach(s -> s.pending().forEach(m ->
                            assertThat(shards.indexOf(s)).isEqualTo(shardOf(m.tick().key().subscriberId()))));
                }
            }
        }
        assertThat(channel.deliveries()).hasSize(6);
    }

    @Test
    void a_retry_after_a_transient_failure_stays_on_the_enrollment_s_shard() {
        engine.sequences().define(ACCOUNT, SEQUENCE, draft(0));
        channel.thenAnswer(new SendResult.TransientFailure("503", Duration.ofSeconds(30)));
        engine.enrollments().enroll(subscriber("bob"));
        engine.ticks().handle(shards.get(shardOf("bob")).takeNextVisible().orElseThrow());
        assertThat(pending(shardOf("bob"))).singleElement().satisfies(t -> assertThat(t.attempt()).isEqualTo(2));
        assertThat(pending(shardOf("ann"))).isEmpty();
    }

    @Test
    void the_pump_moves_parked_ticks_into_each_enrollment_s_shard() {
        engine.sequences().define(ACCOUNT, SEQUENCE, draft(3600));
        List<String> subscribers = IntStream.range(0, 40).mapToObj(i -> "sub-" + i).toList();
        subscribers.forEach(s -> engine.enrollments().enroll(subscriber(s)));
        assertThat(parking.approximateCount()).isEqualTo(40);
        assertThat(shards).allSatisfy(s -> assertThat(s.pending()).isEmpty());

        clock.advance(Duration.ofMinutes(46));
        TimerPump.Run run = engine.pump().run(1_000, Duration.ofSeconds(40));
        assertThat(run.moved()).isEqualTo(40);
        for (int shard = 0; shard < 2; shard++) {
            int s = shard;
            assertThat(pending(shard)).as("shard " + shard).isNotEmpty()
                    .allSatisfy(t -> assertThat(shardOf(t.key().subscriberId())).isEqualTo(s));
        }
    }

    @Test
    void a_group_of_first_ticks_stays_one_message_on_its_first_member_s_shard() {
        List<Tick> firsts = IntStream.range(0, 10).mapToObj(i -> new Tick(subscriber("sub-" + i), 1, 0, "step-1",
                clock.instant(), "token-" + i, 1, 0, 0)).toList();
        TickGroup group = (TickGroup) TickGroup.of(firsts).get(0);
        List<List<Object>> messages = List.of(new ArrayList<>(), new ArrayList<>());
        List<TimerQueue> recording = messages.stream().<TimerQueue>map(queue -> new TimerQueue() {
            @Override
            public void schedule(Tick tick, Instant fireAt) {
                queue.add(tick);
            }

            @Override
            public void schedule(TickGroup g, Instant fireAt) {
                queue.add(g);
            }
        }).toList();
        new ShardedTimers(recording).schedule(group, clock.instant());
        int shard = shardOf("sub-0");
        assertThat(messages.get(shard)).containsExactly(group);
        assertThat(messages.get(1 - shard)).isEmpty();
    }

    @Test
    void shards_are_one_to_max_queues() {
        assertThatThrownBy(() -> new ShardedTimers(List.of())).hasMessage("shards must be 1 to 4, was 0");
    }
}
