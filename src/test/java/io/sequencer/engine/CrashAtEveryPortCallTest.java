package io.sequencer.engine;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.draft;
import static io.sequencer.engine.EngineFixture.subscriber;
import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.domain.ChannelConfig;
import io.sequencer.domain.Engagement;
import io.sequencer.domain.EventType;
import io.sequencer.domain.ReentryPolicy;
import io.sequencer.domain.SequenceRules;
import io.sequencer.domain.Trigger;
import io.sequencer.domain.Enrollment;
import io.sequencer.domain.EnrollmentKey;
import io.sequencer.domain.EnrollmentStatus;
import io.sequencer.domain.RetryBackoff;
import io.sequencer.domain.Tick;
import io.sequencer.testing.InMemoryEnrollmentStore;
import io.sequencer.testing.InMemoryEventLog;
import io.sequencer.testing.InMemorySubscriberStore;
import io.sequencer.testing.InMemorySequenceStore;
import io.sequencer.testing.InMemoryTimerQueue;
import io.sequencer.testing.RecordingChannel;
import io.sequencer.testing.ReliabilityFigures;
import io.sequencer.testing.SteppingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The process dies at port call k (before the call takes effect, or just after it did), for every k of a
 * whole run: enroll, every tick, every hop. The queue redelivers what was not acknowledged, the host server
 * retries a failed enroll. However it dies, every step arrives, in order, under one delivery id per step.
 */
class CrashAtEveryPortCallTest {
    private static final Duration QUEUE_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> SUBSCRIBERS = List.of("ann", "bob");
    private static final List<String> LEAVING_SUBSCRIBERS = List.of("ann", "bob", "cat");

    /** Counts port calls and kills the process at the chosen one. */
    static final class Crash {
        final int at;
        final boolean afterEffect;
        int calls;

        Crash(int at, boolean afterEffect) {
            this.at = at;
            this.afterEffect = afterEffect;
        }

        <T> T call(Supplier<T> effect) {
            calls++;
            if (calls == at && !afterEffect) {
                throw new ProcessDied();
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

    static final class ProcessDied extends RuntimeException {}

    /** What a run left: deliveries, final states, and each sequence's counts (less send times, which retries move). */
    record Run(int portCalls, List<Delivery> deliveries, Map<EnrollmentKey, Enrollment> finalState,
               Map<String, Map<String, Long>> counts) {}

    /** What a run does besides enrolling and ticking. */
    enum Scenario {
        /** Enroll two subscribers, play every tick. */
        PLAIN,
        /** Adds a step condition, an exit goal, a completion trigger and events reported by the host. */
        REACTING,
        /** Adds a third subscriber; after the first step one subscriber leaves and one opts out of the account. */
        LEAVING
    }

    private Run run(int crashAt, boolean afterEffect) {
        return run(crashAt, afterEffect, Scenario.PLAIN);
    }

    /**
     * One whole run. The reacting run adds a step condition, an exit goal, a completion trigger into a second
     * sequence and events reported by the host (retried by it when the process dies), on top of the plain one.
     */
    private Run run(int crashAt, boolean afterEffect, Scenario scenario) {
        boolean reacting = scenario == Scenario.REACTING;
        List<String> subscriberIds = scenario == Scenario.LEAVING ? LEAVING_SUBSCRIBERS : SUBSCRIBERS;
        Crash crash = new Crash(crashAt, afterEffect);
        SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
        InMemorySequenceStore realSequences = new InMemorySequenceStore();
        InMemoryEnrollmentStore realEnrollments = new InMemoryEnrollmentStore();
        InMemoryTimerQueue queue = new InMemoryTimerQueue(clock);
        RecordingChannel realChannel = new RecordingChannel();
        AtomicLong tokenCounter = new AtomicLong();
        TimerTokens tokens = () -> "token-" + tokenCounter.incrementAndGet();

        SequenceStore sequences = new SequenceStore() {
            public Optional<Stored<io.sequencer.domain.Sequence>> find(String a, String s) {
                return crash.call(() -> realSequences.find(a, s));
            }
            public void create(io.sequencer.domain.Sequence s) {
                crash.run(() -> realSequences.create(s));
            }
            public void replace(io.sequencer.domain.Sequence s, String etag) {
                crash.run(() -> realSequences.replace(s, etag));
            }
            public List<io.sequencer.domain.Sequence> list(String a) {
                return crash.call(() -> realSequences.list(a));
            }
        };
        EnrollmentStore enrollmentStore = new EnrollmentStore() {
            public Optional<Stored<Enrollment>> find(EnrollmentKey k) {
                return crash.call(() -> realEnrollments.find(k));
            }
            public void create(Enrollment e) {
                crash.run(() -> realEnrollments.create(e));
            }
            public void replace(Stored<Enrollment> current, Enrollment e) {
                crash.run(() -> realEnrollments.replace(current, e));
            }
            public java.util.SortedMap<java.time.LocalDate, io.sequencer.domain.Tally> tally(String a, String s) {
                return crash.call(() -> realEnrollments.tally(a, s));
            }
        };
        InMemorySubscriberStore realSubscribers = new InMemorySubscriberStore();
        SubscriberStore subscribers = new SubscriberStore() {
            public Optional<Stored<io.sequencer.domain.Subscriber>> find(String a, String s) {
                return crash.call(() -> realSubscribers.find(a, s));
            }
            public void create(io.sequencer.domain.Subscriber s) {
                crash.run(() -> realSubscribers.create(s));
            }
            public void replace(io.sequencer.domain.Subscriber s, String etag) {
                crash.run(() -> realSubscribers.replace(s, etag));
            }
            public List<io.sequencer.domain.Subscriber> page(String a, Optional<String> after, int max) {
                return crash.call(() -> realSubscribers.page(a, after, max));
            }
        };
        TimerQueue timers = (tick, fireAt) -> crash.run(() -> queue.schedule(tick, fireAt));
        Channel channel = (config, delivery) -> crash.call(() -> realChannel.send(config, delivery));

        SequenceCatalog catalog = new SequenceCatalog(realSequences, clock);
        if (reacting) {
            catalog.define(ACCOUNT, SEQUENCE, Reacting.sequence(new SequenceRules(ReentryPolicy.NEVER,
                            List.of(Reacting.named(EventType.CONVERTED, "purchase")),
                            List.of(new Trigger.OnCompleted("next")), false),
                    Reacting.step("step-1", 0),
                    Reacting.step("step-2", 3600, Reacting.onlyIf(Reacting.previousNot(Engagement.CLICKED))),
                    Reacting.step("step-3", 8L * 86400)));
            catalog.define(ACCOUNT, "next", Reacting.sequence(Reacting.step("step-1", 60)));
        } else {
            catalog.define(ACCOUNT, SEQUENCE, scenario == Scenario.LEAVING ? draft(0, 3600, 8L * 86400)
                    : draft(0, 60, 8L * 86400));
        }
        Enrollments enrollments = new Enrollments(sequences, enrollmentStore, subscribers, timers, tokens, LifecycleNotices.OFF, clock);
        TickHandler handler = new TickHandler(sequences, enrollmentStore, subscribers, enrollments, timers, channel,
                tokens, RetryBackoff.DEFAULT, LifecycleNotices.OFF, SendGate.OPEN, clock);

        for (String id : subscriberIds) {
            while (true) {
                try {
                    enrollments.enroll(subscriber(id));
                    break;
                } catch (ProcessDied died) {
                    // the host server's HTTP client retries the enroll
                }
            }
        }
        if (reacting) {
            playQueue(queue, handler, clock, clock.instant().plus(Duration.ofMinutes(10)));
            Events events = new Events(sequences, enrollmentStore, subscribers, enrollments,
                    new Subscribers(subscribers, sequences, enrollments, clock), timers, tokens, LifecycleNotices.OFF,
                    new InMemoryEventLog(), clock);
            String annFirst = realChannel.deliveries().stream()
                    .filter(d -> d.key().subscriberId().equals("ann") && d.stepId().equals("step-1"))
                    .findFirst().orElseThrow().deliveryId().value();
            retried(() -> events.record(ACCOUNT, Reacting.event("ann", EventType.CLICKED).delivery(annFirst).build()));
            retried(() -> events.record(ACCOUNT, Reacting.event("bob", EventType.CONVERTED).name("purchase").build()));
        }
        if (scenario == Scenario.LEAVING) {
            playQueue(queue, handler, clock, clock.instant().plus(Duration.ofMinutes(10)));
            Subscribers profiles = new Subscribers(subscribers, sequences, enrollments, clock);
            retried(() -> enrollments.leave(subscriber("bob")));
            retried(() -> profiles.optOut(ACCOUNT, "cat"));
        }
        playQueue(queue, handler, clock, clock.instant().plus(Duration.ofDays(20)));
        Map<EnrollmentKey, Enrollment> state = subscriberIds.stream().map(EngineFixture::subscriber)
                .collect(Collectors.toMap(k -> k, k -> realEnrollments.find(k).orElseThrow().value()));
        Map<String, Map<String, Long>> counts = new java.util.TreeMap<>();
        for (String sequenceId : List.of(SEQUENCE, "next")) {
            counts.put(sequenceId, realEnrollments.tally(ACCOUNT, sequenceId).values().stream()
                    .reduce(io.sequencer.domain.Tally.EMPTY, io.sequencer.domain.Tally::plus).counts().entrySet().stream()
                    .filter(c -> !c.getKey().contains("|" + io.sequencer.domain.Tally.LATENCY + "|"))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        }
        return new Run(crash.calls, realChannel.deliveries(), state, counts);
    }

    /** The queue trigger: every visible tick is handled; one whose handler died comes back after the timeout. */
    private static void playQueue(InMemoryTimerQueue queue, TickHandler handler, SteppingClock clock, Instant end) {
        Optional<Instant> next;
        while ((next = queue.nextVisibleAt()).isPresent() && !next.get().isAfter(end)) {
            if (next.get().isAfter(clock.instant())) {
                clock.set(next.get());
            }
            Optional<Tick> tick;
            while ((tick = queue.takeNextVisible()).isPresent()) {
                try {
                    handler.handle(tick.get());
                } catch (ProcessDied died) {
                    queue.redeliver(tick.get(), QUEUE_VISIBILITY_TIMEOUT);
                }
            }
        }
    }

    /** The host server's HTTP client: repeats a call until it does not die. */
    private static void retried(Runnable call) {
        while (true) {
            try {
                call.run();
                return;
            } catch (ProcessDied died) {
                // try again
            }
        }
    }

    @Test
    void a_crash_at_any_port_call_loses_no_step_and_never_changes_a_delivery_id() {
        Run clean = run(0, false);
        assertThat(clean.deliveries()).hasSize(SUBSCRIBERS.size() * 3);
        assertThat(clean.counts().get(SEQUENCE)).containsEntry("enrolled", 2L).containsEntry("completed", 2L)
                .containsEntry("step|step-1|sent", 2L).containsEntry("step|step-2|sent", 2L)
                .containsEntry("step|step-3|sent", 2L).containsEntry("step|step-3|scheduled", 2L);
        Map<String, Set<String>> expectedIds = idsByStep(clean.deliveries());
        int faultPoints = 0;
        for (boolean afterEffect : new boolean[] {false, true}) {
            for (int k = 1; k <= clean.portCalls(); k++) {
                Run crashed = run(k, afterEffect);
                faultPoints++;
                String where = "crash at call " + k + (afterEffect ? " after" : " before") + " its effect";
                for (String subscriber : SUBSCRIBERS) {
                    List<String> steps = crashed.deliveries().stream()
                            .filter(d -> d.key().subscriberId().equals(subscriber))
                            .map(Delivery::stepId).distinct().toList();
                    assertThat(steps).as(where).containsExactly("step-1", "step-2", "step-3");
                    assertThat(crashed.finalState().get(subscriber(subscriber)).status()).as(where)
                            .isEqualTo(EnrollmentStatus.COMPLETED);
                }
                assertThat(idsByStep(crashed.deliveries())).as(where + ": one delivery id per step")
                        .allSatisfy((step, ids) -> assertThat(ids).hasSize(1));
                assertThat(idsByStep(crashed.deliveries()).keySet()).as(where).isEqualTo(expectedIds.keySet());
                assertThat(crashed.counts()).as(where + ": counted once each").isEqualTo(clean.counts());
            }
        }
        ReliabilityFigures.record("crash.enroll_and_tick.fault_points", faultPoints);
        assertThat(faultPoints).as("fault points of enroll and tick (each port call, before and after its effect)")
                .isEqualTo(2 * clean.portCalls()).isGreaterThan(40);
    }

    @Test
    void a_crash_at_any_port_call_of_events_goals_conditions_and_triggers_changes_no_outcome() {
        Run clean = run(0, false, Scenario.REACTING);
        Map<String, Set<String>> expected = idsByStep(clean.deliveries());
        assertThat(expected.keySet()).containsExactlyInAnyOrder("ann/step-1", "ann/step-3", "bob/step-1", "ann/next/step-1");
        int faultPoints = 0;
        for (boolean afterEffect : new boolean[] {false, true}) {
            for (int k = 1; k <= clean.portCalls(); k++) {
                Run crashed = run(k, afterEffect, Scenario.REACTING);
                faultPoints++;
                String where = "crash at call " + k + (afterEffect ? " after" : " before") + " its effect";
                assertThat(idsByStep(crashed.deliveries())).as(where).isEqualTo(expected);
                assertThat(crashed.counts()).as(where + ": counted once each").isEqualTo(clean.counts());
                assertThat(crashed.finalState().get(subscriber("ann")).status()).as(where).isEqualTo(EnrollmentStatus.COMPLETED);
                assertThat(crashed.finalState().get(subscriber("bob")).leaveReason()).as(where)
                        .contains(io.sequencer.domain.LeaveReason.GOAL);
            }
        }
        ReliabilityFigures.record("crash.events_goals_conditions_triggers.fault_points", faultPoints);
        assertThat(faultPoints).as("fault points of events, goals, conditions and triggers")
                .isEqualTo(2 * clean.portCalls()).isGreaterThan(60);
    }

    @Test
    void a_crash_at_any_port_call_of_leaving_or_opting_out_sends_nothing_after_it_and_loses_nothing_for_those_who_stay() {
        Run clean = run(0, false, Scenario.LEAVING);
        Map<String, Set<String>> expected = idsByStep(clean.deliveries());
        assertThat(expected.keySet()).containsExactlyInAnyOrder(
                "ann/step-1", "ann/step-2", "ann/step-3", "bob/step-1", "cat/step-1");
        int faultPoints = 0;
        for (boolean afterEffect : new boolean[] {false, true}) {
            for (int k = 1; k <= clean.portCalls(); k++) {
                Run crashed = run(k, afterEffect, Scenario.LEAVING);
                faultPoints++;
                String where = "crash at call " + k + (afterEffect ? " after" : " before") + " its effect";
                assertThat(idsByStep(crashed.deliveries())).as(where + ": every step once by id, none after leaving")
                        .isEqualTo(expected);
                List<String> annSteps = crashed.deliveries().stream().filter(d -> d.key().subscriberId().equals("ann"))
                        .map(Delivery::stepId).distinct().toList();
                assertThat(annSteps).as(where + ": in order").containsExactly("step-1", "step-2", "step-3");
                assertThat(crashed.counts()).as(where + ": counted once each").isEqualTo(clean.counts());
                assertThat(crashed.finalState().get(subscriber("ann")).status()).as(where).isEqualTo(EnrollmentStatus.COMPLETED);
                assertThat(crashed.finalState().get(subscriber("bob")).leaveReason()).as(where)
                        .contains(io.sequencer.domain.LeaveReason.UNSUBSCRIBED);
                assertThat(crashed.finalState().get(subscriber("cat")).leaveReason()).as(where)
                        .contains(io.sequencer.domain.LeaveReason.OPTED_OUT);
            }
        }
        ReliabilityFigures.record("crash.leave_and_opt_out.fault_points", faultPoints);
        assertThat(faultPoints).as("fault points of enroll, tick, leave and opt-out").isEqualTo(2 * clean.portCalls());
    }

    /** subscriber/step → the distinct delivery ids it was sent under. */
    private static Map<String, Set<String>> idsByStep(List<Delivery> deliveries) {
        return deliveries.stream().collect(Collectors.groupingBy(
                d -> d.key().subscriberId() + (d.key().sequenceId().equals(SEQUENCE) ? "" : "/" + d.key().sequenceId())
                        + "/" + d.stepId(),
                Collectors.mapping(d -> d.deliveryId().value(), Collectors.toSet())));
    }
}
