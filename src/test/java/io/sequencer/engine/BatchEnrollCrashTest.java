package io.sequencer.engine;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.draft;
import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.ChannelTypes;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.report.Tally;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.domain.timer.RetryBackoff;
import io.sequencer.domain.timer.Tick;
import io.sequencer.domain.timer.TickGroup;
import io.sequencer.domain.timer.Timer;
import io.sequencer.domain.timer.TimerDelay;
import io.sequencer.domain.timer.TimerShard;
import io.sequencer.engine.enrollment.BatchEnrollments;
import io.sequencer.engine.enrollment.EnrollRequest;
import io.sequencer.engine.enrollment.EnrollResult;
import io.sequencer.engine.enrollment.Enrollments;
import io.sequencer.engine.send.Channel;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendGate;
import io.sequencer.engine.sequence.SequenceStore;
import io.sequencer.engine.subscriber.SubscriberStore;
import io.sequencer.engine.tick.TickHandler;
import io.sequencer.engine.timer.ShardedTimers;
import io.sequencer.engine.timer.TimerQueue;
import io.sequencer.testing.ForwardingEnrollmentStore;
import io.sequencer.testing.InMemoryEnrollmentStore;
import io.sequencer.testing.InMemoryEventLog;
import io.sequencer.testing.InMemorySequenceStore;
import io.sequencer.testing.InMemorySubscriberStore;
import io.sequencer.testing.RecordingChannel;
import io.sequencer.testing.SteppingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A batch enroll of subscribers never seen before (and, in a second set of runs, with one of them known already, so
 * the batch cannot go whole), and every tick after it, with the
 * process dying at port call k (before the call takes effect, or just after), for every k of the clean run. The host
 * retries the whole request until it is answered (each subscriber then goes alone, as the HTTP function does when the
 * batch cannot go whole); the queue redelivers a group or a tick whose handler died. However it dies, every
 * subscriber gets every step under the delivery id of the clean run, ends completed, and is counted once.
 */
class BatchEnrollCrashTest {
    private static final List<String> NEWCOMERS = List.of("ann", "bob", "cy", "dan");
    private static final Duration QUEUE_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);

    static final class ProcessDied extends RuntimeException {}

    /** Counts port calls and kills the process at the chosen one. */
    static final class Crash {
        final int at;
        final boolean afterEffect;
        int calls;
        boolean struck;

        Crash(int at, boolean afterEffect) {
            this.at = at;
            this.afterEffect = afterEffect;
        }

        <T> T call(Supplier<T> effect) {
            calls++;
            if (calls == at) {
                struck = true;
                if (!afterEffect) {
                    throw new ProcessDied();
                }
            }
            T result = effect.get();
            if (calls == at) {
                throw new ProcessDied();
            }
            return result;
        }

        void run(Runnable effect) {
            call(() -> {
                effect.run();
                return null;
            });
        }
    }

    /** A storage queue of ticks and groups, on the test clock. */
    static final class Queue implements TimerQueue {
        record Message(Timer timer, Instant visibleAt, long order) {}

        final SteppingClock clock;
        final List<Message> messages = new ArrayList<>();
        long order;

        Queue(SteppingClock clock) {
            this.clock = clock;
        }

        @Override
        public void schedule(Tick tick, Instant fireAt) {
            put(tick, TimerDelay.until(clock.instant(), fireAt));
        }

        @Override
        public void schedule(TickGroup group, Instant fireAt) {
            put(group, TimerDelay.until(clock.instant(), fireAt));
        }

        void put(Timer timer, Duration delay) {
            messages.add(new Message(timer, clock.instant().plus(delay), order++));
        }

        Optional<Message> next() {
            return messages.stream().min(Comparator.comparing(Message::visibleAt).thenComparingLong(Message::order));
        }
    }

    record Run(int portCalls, boolean struck, List<Delivery> deliveries, Map<String, Enrollment> finalState,
               Map<String, Long> counts, int groupsScheduled) {}

    private Run run(int crashAt, boolean afterEffect, boolean oneKnown) {
        return run(crashAt, afterEffect, oneKnown, 1);
    }

    /** One run with ticks and groups spread over {@code shards} queues, each with its trigger. */
    private Run run(int crashAt, boolean afterEffect, boolean oneKnown, int shards) {
        Crash crash = new Crash(crashAt, afterEffect);
        SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
        InMemorySequenceStore realSequences = new InMemorySequenceStore();
        InMemoryEnrollmentStore realEnrollments = new InMemoryEnrollmentStore();
        InMemorySubscriberStore realSubscribers = new InMemorySubscriberStore();
        if (oneKnown) {
            realSubscribers.create(Subscriber.create(ACCOUNT, "dan", clock.instant()));
        }
        List<Queue> queues = new ArrayList<>();
        for (int shard = 0; shard < shards; shard++) {
            queues.add(new Queue(clock));
        }
        RecordingChannel realChannel = new RecordingChannel();
        AtomicLong tokenCounter = new AtomicLong();

        SequenceStore sequences = new SequenceStore() {
            public Optional<Stored<Sequence>> find(String a, String s) {
                return crash.call(() -> realSequences.find(a, s));
            }
            public void create(Sequence s) {
                realSequences.create(s);
            }
            public void replace(Sequence s, String etag) {
                realSequences.replace(s, etag);
            }
            public List<Sequence> list(String a) {
                return realSequences.list(a);
            }
        };
        ForwardingEnrollmentStore enrollmentStore = new ForwardingEnrollmentStore(realEnrollments) {
            @Override
            public Optional<Stored<Enrollment>> find(EnrollmentKey k) {
                return crash.call(() -> real().find(k));
            }
            @Override
            public void create(Enrollment e) {
                crash.run(() -> real().create(e));
            }
            @Override
            public void createAll(List<Enrollment> all) {
                crash.run(() -> real().createAll(all));
            }
            @Override
            public void replace(Stored<Enrollment> current, Enrollment e) {
                crash.run(() -> real().replace(current, e));
            }
        };
        SubscriberStore subscribers = new SubscriberStore() {
            public Optional<Stored<Subscriber>> find(String a, String s) {
                return crash.call(() -> realSubscribers.find(a, s));
            }
            public void create(Subscriber s) {
                crash.run(() -> realSubscribers.create(s));
            }
            @Override
            public boolean createAll(String a, List<Subscriber> all) {
                return crash.call(() -> realSubscribers.createAll(a, all));
            }
            public void replace(Subscriber s, String etag) {
                crash.run(() -> realSubscribers.replace(s, etag));
            }
            public void delete(String a, String s, String etag) {
                crash.run(() -> realSubscribers.delete(a, s, etag));
            }
            public List<Subscriber> page(String a, Optional<String> after, int max) {
                return realSubscribers.page(a, after, max);
            }
        };
        int[] groups = {0};
        // Each shard's queue is a port of its own; the real routing picks the shard.
        TimerQueue timers = new ShardedTimers(queues.stream().<TimerQueue>map(queue -> new TimerQueue() {
            @Override
            public void schedule(Tick tick, Instant fireAt) {
                crash.run(() -> queue.schedule(tick, fireAt));
            }
            @Override
            public void schedule(TickGroup group, Instant fireAt) {
                crash.run(() -> {
                    queue.schedule(group, fireAt);
                    groups[0]++;
                });
            }
        }).toList());
        Channel channel = (config, delivery) -> crash.call(() -> realChannel.send(config, delivery));

        Sequencer.builder().clock(clock).stores(realSequences, null, null).build().sequences()
                .define(ACCOUNT, SEQUENCE, draft(120, 3600));
        Sequencer engine = Sequencer.builder().clock(clock)
                .stores(sequences, enrollmentStore, subscribers)
                .eventLog(new InMemoryEventLog())
                .timers(timers).channelTypes(ChannelTypes.ALL.rules()).channel(channel)
                .tokens(() -> "token-" + tokenCounter.incrementAndGet()).backoff(RetryBackoff.DEFAULT)
                .gate(SendGate.open(ChannelTypes.ALL.rules()))
                .build();

        enrollAsTheHostWould(engine.batchEnrollments(), engine.enrollments());
        play(queues, timers, engine.ticks(), clock);

        Map<String, Enrollment> state = new TreeMap<>();
        for (String id : NEWCOMERS) {
            state.put(id, realEnrollments.find(EngineFixture.subscriber(id)).orElseThrow().value());
        }
        Map<String, Long> counts = realEnrollments.tally(ACCOUNT, SEQUENCE).values().stream()
                .reduce(Tally.EMPTY, Tally::plus).counts().entrySet().stream()
                .filter(c -> !c.getKey().contains("|" + Tally.LATENCY + "|"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, Long::sum, TreeMap::new));
        return new Run(crash.calls, crash.struck, realChannel.deliveries(), state, counts, groups[0]);
    }

    /**
     * The host's request: the batch whole, else each subscriber alone, repeated until it is answered. (The HTTP
     * function answers each entry; a process that dies answers none, and the host sends the whole request again.)
     */
    private static void enrollAsTheHostWould(BatchEnrollments batch, Enrollments single) {
        List<EnrollRequest> requests = NEWCOMERS.stream()
                .map(id -> EnrollRequest.byHost(EngineFixture.subscriber(id), Optional.empty())).toList();
        while (true) {
            try {
                Optional<List<EnrollResult>> whole = batch.enrollNew(requests);
                if (whole.isEmpty()) {
                    requests.forEach(single::enroll);
                }
                return;
            } catch (ProcessDied died) {
                // sent again
            }
        }
    }

    /**
     * The queue triggers (one per shard; the earliest message of any goes first): a group fans out into its ticks, a
     * tick is handled; one whose process died comes back to its own queue.
     */
    private static void play(List<Queue> queues, TimerQueue timers, TickHandler handler, SteppingClock clock) {
        while (true) {
            Queue queue = null;
            Queue.Message m = null;
            for (Queue q : queues) {
                Optional<Queue.Message> first = q.next();
                if (first.isPresent() && (m == null || first.get().visibleAt().isBefore(m.visibleAt()))) {
                    queue = q;
                    m = first.get();
                }
            }
            if (m == null) {
                return;
            }
            if (m.visibleAt().isAfter(clock.instant())) {
                clock.set(m.visibleAt());
            }
            queue.messages.remove(m);
            try {
                if (m.timer() instanceof TickGroup group) {
                    group.ticks().forEach(t -> timers.schedule(t, t.dueAt()));
                } else {
                    handler.handle((Tick) m.timer());
                }
            } catch (ProcessDied died) {
                queue.put(m.timer(), QUEUE_VISIBILITY_TIMEOUT);
            }
        }
    }

    private static List<String> deliveryIds(Run run) {
        return run.deliveries().stream().map(d -> d.key().subscriberId() + ":" + d.stepId() + "@" + d.deliveryId().value())
                .distinct().sorted().toList();
    }

    @Test
    void the_clean_batch_of_newcomers_schedules_one_group_and_one_with_a_known_subscriber_goes_one_by_one() {
        Run newcomers = run(0, false, false);
        assertThat(newcomers.groupsScheduled()).isEqualTo(1);
        assertThat(deliveryIds(newcomers)).hasSize(2 * NEWCOMERS.size());
        Run oneKnown = run(0, false, true);
        assertThat(oneKnown.groupsScheduled()).isZero();
        assertThat(deliveryIds(oneKnown)).isEqualTo(deliveryIds(newcomers));
        assertThat(oneKnown.counts()).isEqualTo(newcomers.counts());
    }

    @Test
    void a_crash_at_any_port_call_of_a_batch_enroll_its_group_and_its_ticks_loses_nothing_and_counts_once() {
        crashEverywhere(false);
    }

    @Test
    void a_crash_at_any_port_call_of_a_batch_that_cannot_go_whole_loses_nothing_and_counts_once() {
        crashEverywhere(true);
    }

    @Test
    void with_timers_on_two_shards_a_crash_at_any_port_call_of_a_batch_enroll_and_its_ticks_loses_nothing() {
        assertThat(TimerShard.of(EngineFixture.subscriber("ann"), 2)).as("ann and bob on different shards")
                .isNotEqualTo(TimerShard.of(EngineFixture.subscriber("bob"), 2));
        crashEverywhere(false, 2);
        crashEverywhere(true, 2);
    }

    private void crashEverywhere(boolean oneKnown) {
        crashEverywhere(oneKnown, 1);
    }

    private void crashEverywhere(boolean oneKnown, int shards) {
        Run clean = run(0, false, oneKnown, shards);
        assertThat(clean.struck()).isFalse();
        assertThat(clean.finalState().values()).allMatch(e -> e.status() == EnrollmentStatus.COMPLETED);
        assertThat(deliveryIds(clean)).hasSize(2 * NEWCOMERS.size());
        for (boolean after : new boolean[] {false, true}) {
            for (int k = 1; k <= clean.portCalls(); k++) {
                Run crashed = run(k, after, oneKnown, shards);
                String where = "crash at call " + k + (after ? " after" : " before") + " its effect";
                assertThat(crashed.struck()).as(where + ": struck").isTrue();
                assertThat(deliveryIds(crashed)).as(where + ": deliveries").isEqualTo(deliveryIds(clean));
                assertThat(crashed.finalState().values()).as(where + ": completed")
                        .allMatch(e -> e.status() == EnrollmentStatus.COMPLETED);
                assertThat(crashed.counts()).as(where + ": counts").isEqualTo(clean.counts());
            }
        }
    }
}
