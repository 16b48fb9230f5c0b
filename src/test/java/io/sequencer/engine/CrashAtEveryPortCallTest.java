package io.sequencer.engine;

import static io.sequencer.engine.EngineFixture.ACCOUNT;
import static io.sequencer.engine.EngineFixture.SEQUENCE;
import static io.sequencer.engine.EngineFixture.draft;
import static io.sequencer.engine.EngineFixture.subscriber;
import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.channel.ChannelTypes;
import io.sequencer.channel.messenger.MessengerConfig;
import io.sequencer.channel.messenger.MessengerRules;
import io.sequencer.domain.channel.ChannelConfig;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.domain.enrollment.EnrollmentStatus;
import io.sequencer.domain.enrollment.LeaveReason;
import io.sequencer.domain.enrollment.StepOutcome;
import io.sequencer.domain.enrollment.StepRecord;
import io.sequencer.domain.notification.NoticeType;
import io.sequencer.domain.notification.NotificationSettings;
import io.sequencer.domain.report.Tally;
import io.sequencer.domain.sequence.ReentryPolicy;
import io.sequencer.domain.sequence.Sequence;
import io.sequencer.domain.sequence.SequenceDraft;
import io.sequencer.domain.sequence.SequenceRules;
import io.sequencer.domain.sequence.Step;
import io.sequencer.domain.sequence.Trigger;
import io.sequencer.domain.subscriber.Engagement;
import io.sequencer.domain.subscriber.EventType;
import io.sequencer.domain.subscriber.Subscriber;
import io.sequencer.domain.timer.RetryBackoff;
import io.sequencer.domain.timer.Tick;
import io.sequencer.domain.timer.TimerShard;
import io.sequencer.engine.enrollment.EnrollmentStore;
import io.sequencer.engine.enrollment.Enrollments;
import io.sequencer.engine.event.Events;
import io.sequencer.engine.notification.NoticeQueue;
import io.sequencer.engine.notification.NotificationSettingsStore;
import io.sequencer.engine.send.Channel;
import io.sequencer.engine.send.Delivery;
import io.sequencer.engine.send.SendBudget;
import io.sequencer.engine.send.SendGate;
import io.sequencer.engine.send.SendResult;
import io.sequencer.engine.sequence.SequenceCatalog;
import io.sequencer.engine.sequence.SequenceStore;
import io.sequencer.engine.subscriber.SubscriberStore;
import io.sequencer.engine.subscriber.Subscribers;
import io.sequencer.engine.tick.TickHandler;
import io.sequencer.engine.timer.ShardedTimers;
import io.sequencer.engine.timer.TimerQueue;
import io.sequencer.engine.timer.TimerTokens;
import io.sequencer.testing.InMemoryEnrollmentStore;
import io.sequencer.testing.InMemoryEventLog;
import io.sequencer.testing.InMemoryNoticeQueue;
import io.sequencer.testing.InMemoryNotificationSettingsStore;
import io.sequencer.testing.InMemorySequenceStore;
import io.sequencer.testing.InMemorySubscriberStore;
import io.sequencer.testing.InMemoryTimerQueue;
import io.sequencer.testing.RecordingChannel;
import io.sequencer.testing.ReliabilityFigures;
import io.sequencer.testing.SteppingClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The process dies at port call k (before the call takes effect, or just after it did), for every k of a
 * whole run: enroll, every tick, every hop. The queue redelivers what was not acknowledged (after its
 * visibility timeout, or much later, so that other ticks run first), the host server retries a failed request.
 * However it dies, every step arrives, in order, under the delivery id of the clean run, and is recorded and
 * counted once.
 */
class CrashAtEveryPortCallTest {
    private static final Duration QUEUE_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
    /** A retry that comes after the other subscribers' next steps (and hops) have run. */
    private static final Duration LATE_RETRY = Duration.ofHours(2);
    private static final List<String> SUBSCRIBERS = List.of("ann", "bob");
    private static final List<String> LEAVING_SUBSCRIBERS = List.of("ann", "bob", "cat");
    private static final String RENAMED = "-renamed";

    /** Counts port calls, kills the process at the chosen one, and says which port it struck. */
    static final class Crash {
        final int at;
        final boolean afterEffect;
        int calls;
        Optional<String> struck = Optional.empty();

        Crash(int at, boolean afterEffect) {
            this.at = at;
            this.afterEffect = afterEffect;
        }

        <T> T call(String port, Supplier<T> effect) {
            calls++;
            if (calls == at) {
                struck = Optional.of(port);
            }
            if (calls == at && !afterEffect) {
                throw new ProcessDied();
            }
            T result = effect.get();
            if (calls == at) {
                throw new ProcessDied();
            }
            return result;
        }

        void run(String port, Runnable effect) {
            call(port, () -> {
                effect.run();
                return null;
            });
        }
    }

    static final class ProcessDied extends RuntimeException {}

    /**
     * What a run left: deliveries, final states, each sequence's counts (less send times, which retries move),
     * each subscriber's waiting lifecycle events, and the port the fault struck (empty: it never came).
     */
    record Run(int portCalls, List<Delivery> deliveries, Map<EnrollmentKey, Enrollment> finalState,
               Map<String, Map<String, Long>> counts, Map<String, List<String>> notices, Optional<String> struck) {}

    /** What a run does besides enrolling and ticking. */
    enum Scenario {
        /** Enroll two subscribers, play every tick. */
        PLAIN,
        /** Adds a step condition, an exit goal, a completion trigger and events reported by the host. */
        REACTING,
        /** Adds a third subscriber; after the first step one subscriber leaves and one opts out of the account. */
        LEAVING,
        /** Enrolls ann again while active and bob again once completed, under the run's re-entry policy. */
        REENTERING,
        /**
         * On Messenger: a person from the page talks with ann when her first step falls due (held, then sent
         * 30 minutes after the talk ended); the last step falls due outside the 24-hour window and is skipped.
         */
        GATED
    }

    /** An edit of the sequence made by another instance between a tick's crash and its retry. */
    enum Edit {
        NONE,
        /** The crashed tick's step gets a new id (same place, same message). */
        RENAME,
        /** The crashed tick's step is taken out (renamed instead when it is the last one; see RELIABILITY.md). */
        REMOVE
    }

    /**
     * One run's set-up.
     * @param lateRetry a crashed tick comes back only after {@link #LATE_RETRY}, once other ticks have run
     * @param notices the account wants every lifecycle event
     * @param flaky the channel fails the first attempt of every delivery with a transient error
     * @param shards the triggered timer queues, each with its trigger, that ticks are spread over
     */
    record Setup(Scenario scenario, ReentryPolicy reentry, boolean lateRetry, Edit edit, boolean notices,
                 boolean flaky, int shards) {
        static Setup of(Scenario scenario) {
            return new Setup(scenario, ReentryPolicy.NEVER, false, Edit.NONE, false, false, 1);
        }

        Setup reentry(ReentryPolicy policy) {
            return new Setup(scenario, policy, lateRetry, edit, notices, flaky, shards);
        }

        Setup retriedLate() {
            return new Setup(scenario, reentry, true, edit, notices, flaky, shards);
        }

        Setup editing(Edit change) {
            return new Setup(scenario, reentry, lateRetry, change, notices, flaky, shards);
        }

        Setup notifying() {
            return new Setup(scenario, reentry, lateRetry, edit, true, flaky, shards);
        }

        Setup withFlakyChannel() {
            return new Setup(scenario, reentry, lateRetry, edit, notices, true, shards);
        }

        Setup sharded(int count) {
            return new Setup(scenario, reentry, lateRetry, edit, notices, flaky, count);
        }
    }

    /** One whole run of {@code setup}, the process dying at call {@code crashAt} (0: never). */
    private Run run(int crashAt, boolean afterEffect, Setup setup) {
        Scenario scenario = setup.scenario();
        boolean reacting = scenario == Scenario.REACTING;
        List<String> subscriberIds = scenario == Scenario.LEAVING ? LEAVING_SUBSCRIBERS : SUBSCRIBERS;
        Crash crash = new Crash(crashAt, afterEffect);
        SteppingClock clock = SteppingClock.at("2026-03-01T09:00:00Z");
        InMemorySequenceStore realSequences = new InMemorySequenceStore();
        InMemoryEnrollmentStore realEnrollments = new InMemoryEnrollmentStore();
        List<InMemoryTimerQueue> queues = new ArrayList<>();
        for (int shard = 0; shard < setup.shards(); shard++) {
            queues.add(new InMemoryTimerQueue(clock));
        }
        RecordingChannel realChannel = new RecordingChannel();
        AtomicLong tokenCounter = new AtomicLong();
        TimerTokens tokens = () -> "token-" + tokenCounter.incrementAndGet();

        SequenceStore sequences = new SequenceStore() {
            public Optional<Stored<Sequence>> find(String a, String s) {
                return crash.call("sequences.find", () -> realSequences.find(a, s));
            }
            public void create(Sequence s) {
                crash.run("sequences.create", () -> realSequences.create(s));
            }
            public void replace(Sequence s, String etag) {
                crash.run("sequences.replace", () -> realSequences.replace(s, etag));
            }
            public List<Sequence> list(String a) {
                return crash.call("sequences.list", () -> realSequences.list(a));
            }
        };
        EnrollmentStore enrollmentStore = new EnrollmentStore() {
            public Optional<Stored<Enrollment>> find(EnrollmentKey k) {
                return crash.call("enrollments.find", () -> realEnrollments.find(k));
            }
            public void create(Enrollment e) {
                crash.run("enrollments.create", () -> realEnrollments.create(e));
            }
            public void createAll(List<Enrollment> all) {
                crash.run("enrollments.createAll", () -> realEnrollments.createAll(all));
            }
            public void replace(Stored<Enrollment> current, Enrollment e) {
                crash.run("enrollments.replace", () -> realEnrollments.replace(current, e));
            }
            public SortedMap<LocalDate, Tally> tally(String a, String s) {
                return crash.call("enrollments.tally", () -> realEnrollments.tally(a, s));
            }

            @Override
            public io.sequencer.engine.enrollment.EnrollmentPage page(String a, String s,
                    io.sequencer.engine.enrollment.EnrollmentFilter f, Optional<String> from, int limit) {
                return realEnrollments.page(a, s, f, from, limit);
            }

            @Override
            public Optional<String> past(String a, String s, String from, String subscriberId) {
                return realEnrollments.past(a, s, from, subscriberId);
            }

            @Override
            public void delete(Stored<Enrollment> current) {
                realEnrollments.delete(current);
            }
        };
        InMemorySubscriberStore realSubscribers = new InMemorySubscriberStore();
        SubscriberStore subscribers = new SubscriberStore() {
            public Optional<Stored<Subscriber>> find(String a, String s) {
                return crash.call("subscribers.find", () -> realSubscribers.find(a, s));
            }
            public void create(Subscriber s) {
                crash.run("subscribers.create", () -> realSubscribers.create(s));
            }
            public void replace(Subscriber s, String etag) {
                crash.run("subscribers.replace", () -> realSubscribers.replace(s, etag));
            }
            public List<Subscriber> page(String a, Optional<String> after, int max) {
                return crash.call("subscribers.page", () -> realSubscribers.page(a, after, max));
            }

            @Override
            public void delete(String a, String s, String etag) {
                crash.call("subscribers.delete", () -> {
                    realSubscribers.delete(a, s, etag);
                    return null;
                });
            }
        };
        // Each shard's queue is a port of its own; the real routing picks the shard.
        List<TimerQueue> shards = queues.stream().<TimerQueue>map(queue -> (tick, fireAt) ->
                crash.run("timers.schedule", () -> queue.schedule(tick, fireAt))).toList();
        TimerQueue timers = new ShardedTimers(shards);
        Channel channel = (config, delivery) -> crash.call("channel.send", () -> setup.flaky() && delivery.attempt() == 1
                ? recordedTransientFailure(realChannel, config, delivery) : realChannel.send(config, delivery));

        NotificationSettingsStore noticeSettings = null;
        NoticeQueue noticeSignals = null;
        if (setup.notices()) {
            InMemoryNotificationSettingsStore realSettings = new InMemoryNotificationSettingsStore();
            realSettings.create(new NotificationSettings(ACCOUNT, URI.create("https://host.example/notices"),
                    Optional.empty(), EnumSet.allOf(NoticeType.class), clock.instant(), clock.instant(), Optional.empty(),
                    Optional.empty(), Optional.empty()));
            InMemoryNoticeQueue realSignals = new InMemoryNoticeQueue(clock);
            NotificationSettingsStore settings = new NotificationSettingsStore() {
                public Optional<Stored<NotificationSettings>> find(String a) {
                    return crash.call("settings.find", () -> realSettings.find(a));
                }
                public void create(NotificationSettings n) {
                    crash.run("settings.create", () -> realSettings.create(n));
                }
                public void replace(NotificationSettings n, String etag) {
                    crash.run("settings.replace", () -> realSettings.replace(n, etag));
                }
                public void delete(String a) {
                    crash.run("settings.delete", () -> realSettings.delete(a));
                }
            };
            NoticeQueue signals = new NoticeQueue() {
                public void signal(EnrollmentKey key, long upTo) {
                    crash.run("notices.signal", () -> realSignals.signal(key, upTo));
                }
                public List<Signal> receive(int max, Duration lease) {
                    return realSignals.receive(max, lease);
                }
                public void done(Signal signal) {
                    realSignals.done(signal);
                }
                public void retryLater(Signal signal, Duration delay) {
                    realSignals.retryLater(signal, delay);
                }
            };
            noticeSettings = settings;
            noticeSignals = signals;
        }

        SequenceCatalog catalog = Sequencer.builder().clock(clock).stores(realSequences, null, null).build().sequences();
        catalog.define(ACCOUNT, SEQUENCE, definition(setup));
        if (reacting) {
            catalog.define(ACCOUNT, "next", Reacting.sequence(Reacting.step("step-1", 60)));
        }
        SendGate gate = scenario == Scenario.GATED ? new SendGate(SendGate.DEFAULT_AGENT_HOLD, SendBudget.UNLIMITED, ChannelTypes.ALL.rules())
                : SendGate.open(ChannelTypes.ALL.rules());
        Sequencer engine = Sequencer.builder().clock(clock)
                .stores(sequences, enrollmentStore, subscribers)
                .eventLog(new InMemoryEventLog())
                .timers(timers).channelTypes(ChannelTypes.ALL.rules()).channel(channel).tokens(tokens).backoff(RetryBackoff.DEFAULT).gate(gate)
                .notices(noticeSettings, noticeSignals)
                .build();
        Enrollments enrollments = engine.enrollments();
        TickHandler handler = engine.ticks();
        Events events = engine.events();
        Player player = new Player(queues, handler, clock, setup, catalog);

        for (String id : subscriberIds) {
            enrollAsTheHostWould(enrollments, realEnrollments, subscriber(id));
        }
        if (reacting) {
            player.play(Duration.ofMinutes(10));
            String annFirst = realChannel.deliveries().stream()
                    .filter(d -> d.key().subscriberId().equals("ann") && d.stepId().equals("step-1"))
                    .findFirst().orElseThrow().deliveryId().value();
            retried(() -> events.record(ACCOUNT, Reacting.event("ann", EventType.CLICKED).delivery(annFirst).build()));
            retried(() -> events.record(ACCOUNT, Reacting.event("bob", EventType.CONVERTED).name("purchase").build()));
        }
        if (scenario == Scenario.LEAVING) {
            player.play(Duration.ofMinutes(10));
            Subscribers profiles = engine.subscribers();
            retried(() -> enrollments.leave(subscriber("bob")));
            retried(() -> profiles.optOut(ACCOUNT, "cat"));
        }
        if (scenario == Scenario.REENTERING) {
            player.play(Duration.ofMinutes(10));
            enrollAsTheHostWould(enrollments, realEnrollments, subscriber("ann"));
            player.play(Duration.ofDays(1));
            enrollAsTheHostWould(enrollments, realEnrollments, subscriber("bob"));
        }
        if (scenario == Scenario.GATED) {
            retried(() -> events.record(ACCOUNT, Reacting.event("ann", EventType.AGENT_ACTIVE).build()));
            player.play(Duration.ofMinutes(20));
            retried(() -> events.record(ACCOUNT, Reacting.event("ann", EventType.AGENT_ENDED).build()));
        }
        player.play(Duration.ofDays(20));
        Map<EnrollmentKey, Enrollment> state = subscriberIds.stream().map(EngineFixture::subscriber)
                .collect(Collectors.toMap(k -> k, k -> realEnrollments.find(k).orElseThrow().value()));
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        for (String sequenceId : List.of(SEQUENCE, "next")) {
            counts.put(sequenceId, realEnrollments.tally(ACCOUNT, sequenceId).values().stream()
                    .reduce(Tally.EMPTY, Tally::plus).counts().entrySet().stream()
                    .filter(c -> !c.getKey().contains("|" + Tally.LATENCY + "|"))
                    .collect(Collectors.toMap(c -> originalName(c.getKey()), Map.Entry::getValue, Long::sum)));
        }
        Map<String, List<String>> waiting = new TreeMap<>();
        state.forEach((key, enrollment) -> waiting.put(key.subscriberId(), enrollment.outbox().pending().stream()
                .map(n -> n.type().wireName() + "#" + n.epoch() + n.stepId().map(id -> ":" + originalName(id)).orElse("")
                        + n.deliveryId().map(id -> "@" + id).orElse("") + n.detail().map(d -> " " + d).orElse(""))
                .toList()));
        return new Run(crash.calls, realChannel.deliveries(), state, counts, waiting, crash.struck);
    }

    /** The channel's answer to a first attempt when it fails transiently: the receiver saw the request, and said 503. */
    private static SendResult recordedTransientFailure(RecordingChannel channel, ChannelConfig config, Delivery delivery) {
        channel.send(config, delivery);
        return new SendResult.TransientFailure("HTTP 503", null);
    }

    private static SequenceDraft definition(Setup setup) {
        return switch (setup.scenario()) {
            case REACTING -> Reacting.sequence(new SequenceRules(ReentryPolicy.NEVER,
                            List.of(Reacting.named(EventType.CONVERTED, "purchase")),
                            List.of(new Trigger.OnCompleted("next")), false),
                    Reacting.step("step-1", 0),
                    Reacting.step("step-2", 3600, Reacting.onlyIf(Reacting.previousNot(Engagement.CLICKED))),
                    Reacting.step("step-3", 8L * 86400));
            case LEAVING -> draft(0, 3600, 8L * 86400);
            case REENTERING -> EngineFixture.withRules(draft(0, 60, 3600), SequenceRules.NONE.withReentry(setup.reentry()));
            case GATED -> {
                SequenceDraft plain = draft(0, 3600, 8L * 86400);
                yield new SequenceDraft(plain.name(), plain.steps(),
                        new MessengerConfig("1234567890", "PAGE_TOKEN", MessengerConfig.DEFAULT_GRAPH_VERSION));
            }
            case PLAIN -> draft(0, 60, 8L * 86400);
        };
    }

    /** A counter or step name with a rename undone, so runs with and without the edit compare. */
    private static String originalName(String name) {
        return name.replace(RENAMED, "");
    }

    /**
     * The host enrolls and retries until it is not cut off. Its retry carries the first attempt's
     * {@code Idempotency-Key}, so once that attempt's write is stored the retry is answered with it and changes
     * nothing (a retried enroll is one enrollment, whatever the re-entry policy). A refused re-entry is an answer.
     */
    private static void enrollAsTheHostWould(Enrollments enrollments, InMemoryEnrollmentStore stored, EnrollmentKey key) {
        Optional<String> before = stored.find(key).map(Stored::etag);
        while (true) {
            try {
                enrollments.enroll(key);
                return;
            } catch (Conflict refused) {
                return;
            } catch (ProcessDied died) {
                if (!stored.find(key).map(Stored::etag).equals(before)) {
                    return;
                }
            }
        }
    }

    /**
     * The queue triggers (one per shard, taking turns), and the other instance that edits the sequence when a
     * tick's process has died.
     */
    private static final class Player {
        private final List<InMemoryTimerQueue> queues;
        private final TickHandler handler;
        private final SteppingClock clock;
        private final Setup setup;
        private final SequenceCatalog catalog;
        private boolean edited;

        Player(List<InMemoryTimerQueue> queues, TickHandler handler, SteppingClock clock, Setup setup,
               SequenceCatalog catalog) {
            this.queues = queues;
            this.handler = handler;
            this.clock = clock;
            this.setup = setup;
            this.catalog = catalog;
        }

        /**
         * Every visible tick is handled, the shards' triggers taking one tick each in turn; one whose handler died
         * comes back to its own queue after the timeout (or late).
         */
        void play(Duration limit) {
            Instant end = clock.instant().plus(limit);
            Optional<Instant> next;
            while ((next = nextVisibleAt()).isPresent() && !next.get().isAfter(end)) {
                if (next.get().isAfter(clock.instant())) {
                    clock.set(next.get());
                }
                boolean took = true;
                while (took) {
                    took = false;
                    for (InMemoryTimerQueue queue : queues) {
                        Optional<Tick> tick = queue.takeNextVisible();
                        if (tick.isEmpty()) {
                            continue;
                        }
                        took = true;
                        try {
                            handler.handle(tick.get());
                        } catch (ProcessDied died) {
                            edit(tick.get().stepId());
                            queue.redeliver(tick.get(), setup.lateRetry() ? LATE_RETRY : QUEUE_VISIBILITY_TIMEOUT);
                        }
                    }
                }
            }
        }

        private Optional<Instant> nextVisibleAt() {
            return queues.stream().map(InMemoryTimerQueue::nextVisibleAt).flatMap(Optional::stream)
                    .min(Comparator.naturalOrder());
        }

        private void edit(String stepId) {
            if (setup.edit() == Edit.NONE || edited) {
                return;
            }
            edited = true;
            Sequence current = catalog.get(ACCOUNT, SEQUENCE);
            boolean last = current.indexOf(stepId).filter(i -> i == current.steps().size() - 1).isPresent();
            List<Step> steps = new ArrayList<>();
            for (Step step : current.steps()) {
                if (!step.id().equals(stepId)) {
                    steps.add(step);
                } else if (setup.edit() == Edit.RENAME || last) {
                    steps.add(new Step(step.id() + RENAMED, step.delay(), step.message(), step.enabled(),
                            step.sendWindow(), step.rules(), step.messaging()));
                }
            }
            catalog.define(ACCOUNT, SEQUENCE, new SequenceDraft(current.name(), steps, current.channel(),
                    current.timezone(), current.sendWindow(), current.rules()));
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

    /**
     * Runs {@code setup} crashing at every port call of its clean run, before and after the call's effect, and
     * checks each crashed run with {@code check}. Returns the clean run. Every fault must strike (the injector saw
     * its call come), and the faults must reach {@code mustStrike}: the windows the run is about.
     */
    private Run crashEverywhere(String figure, Setup setup, Set<String> mustStrike, CrashCheck check) {
        Run clean = run(0, false, setup);
        assertThat(clean.struck()).isEmpty();
        Map<String, Integer> struck = new TreeMap<>();
        for (boolean afterEffect : new boolean[] {false, true}) {
            for (int k = 1; k <= clean.portCalls(); k++) {
                Run crashed = run(k, afterEffect, setup);
                String where = setup + ": crash at call " + k + (afterEffect ? " after" : " before") + " its effect";
                assertThat(crashed.struck()).as(where + ": the fault struck").isPresent();
                struck.merge(crashed.struck().get() + (afterEffect ? " after" : " before"), 1, Integer::sum);
                check.check(where, clean, crashed);
            }
        }
        int faults = struck.values().stream().mapToInt(Integer::intValue).sum();
        ReliabilityFigures.record("crash." + figure + ".faults_struck", faults);
        for (String port : mustStrike) {
            assertThat(struck).as(setup + ": faults struck " + port + " before and after its effect")
                    .containsKeys(port + " before", port + " after");
        }
        return clean;
    }

    @FunctionalInterface
    interface CrashCheck {
        void check(String where, Run clean, Run crashed);
    }

    /** The tick path's windows: reads, the send, the next tick's put and the enrollment's commit. */
    private static final Set<String> TICK_PATH = Set.of("enrollments.find", "sequences.find", "channel.send",
            "timers.schedule", "enrollments.replace");

    /** The same deliveries under the same ids as the clean run, recorded once each, counted once each. */
    private static void sameAsClean(String where, Run clean, Run crashed) {
        assertThat(idsInOrder(crashed)).as(where + ": the clean run's delivery ids, in order, each step once")
                .isEqualTo(idsInOrder(clean));
        assertThat(idsByStep(crashed.deliveries())).as(where + ": by step").isEqualTo(idsByStep(clean.deliveries()));
        assertThat(crashed.counts()).as(where + ": counted once each").isEqualTo(clean.counts());
        assertThat(recorded(crashed)).as(where + ": recorded once each").isEqualTo(recorded(clean));
        assertSentIsRecorded(where, crashed);
    }

    /**
     * Every record names a delivery id once, a record of a send names one the channel saw, and (for subscribers
     * who lived one life) every id the channel saw is recorded.
     */
    private static void assertSentIsRecorded(String where, Run run) {
        run.finalState().forEach((key, enrollment) -> {
            List<String> history = enrollment.history().stream().map(StepRecord::deliveryId).toList();
            assertThat(history).as(where + ": " + key.subscriberId() + " records each delivery once").doesNotHaveDuplicates();
            Set<String> sent = run.deliveries().stream().filter(d -> d.key().equals(key))
                    .map(d -> d.deliveryId().value()).collect(Collectors.toSet());
            assertThat(sent).as(where + ": " + key.subscriberId() + " recorded as sent what was sent")
                    .containsAll(enrollment.history().stream().filter(r -> r.outcome() == StepOutcome.SENT)
                            .map(StepRecord::deliveryId).toList());
            boolean oneLife = enrollment.epoch() == 1 || enrollment.epoch() == 2 && !enrollment.isActive()
                    && enrollment.status() == EnrollmentStatus.LEFT;
            if (oneLife) {
                assertThat(history).as(where + ": " + key.subscriberId() + " every delivery is recorded").containsAll(sent);
            }
        });
    }

    /** subscriber → (outcome, delivery id) of each record of its final life, in order. */
    private static Map<String, List<String>> recorded(Run run) {
        Map<String, List<String>> out = new TreeMap<>();
        run.finalState().forEach((key, e) -> out.put(key.subscriberId(), e.history().stream()
                .map(r -> r.outcome() + "@" + r.deliveryId() + ":" + originalName(r.stepId())).toList()));
        return out;
    }

    /** subscriber → the distinct delivery ids it was sent, in the order first sent. */
    private static Map<String, List<String>> idsInOrder(Run run) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (Delivery d : run.deliveries()) {
            out.computeIfAbsent(d.key().subscriberId() + "/" + d.key().sequenceId(), k -> new LinkedHashSet<>())
                    .add(d.deliveryId().value());
        }
        Map<String, List<String>> lists = new LinkedHashMap<>();
        out.forEach((k, v) -> lists.put(k, List.copyOf(v)));
        return lists;
    }

    @Test
    void a_crash_at_any_port_call_loses_no_step_and_never_changes_a_delivery_id() {
        Run clean = crashEverywhere("enroll_and_tick", Setup.of(Scenario.PLAIN), TICK_PATH, (where, cleanRun, crashed) -> {
            sameAsClean(where, cleanRun, crashed);
            for (String subscriber : SUBSCRIBERS) {
                assertThat(crashed.deliveries().stream().filter(d -> d.key().subscriberId().equals(subscriber))
                        .map(Delivery::stepId).distinct().toList()).as(where)
                        .containsExactly("step-1", "step-2", "step-3");
                assertThat(crashed.finalState().get(subscriber(subscriber)).status()).as(where)
                        .isEqualTo(EnrollmentStatus.COMPLETED);
            }
        });
        assertThat(clean.deliveries()).hasSize(SUBSCRIBERS.size() * 3);
        assertThat(clean.counts().get(SEQUENCE)).containsEntry("enrolled", 2L).containsEntry("completed", 2L)
                .containsEntry("step|step-1|sent", 2L).containsEntry("step|step-2|sent", 2L)
                .containsEntry("step|step-3|sent", 2L).containsEntry("step|step-3|scheduled", 2L);
    }

    @Test
    void a_crash_at_any_port_call_of_events_goals_conditions_and_triggers_changes_no_outcome() {
        Run clean = crashEverywhere("events_goals_conditions_triggers", Setup.of(Scenario.REACTING), TICK_PATH,
                (where, cleanRun, crashed) -> {
                    sameAsClean(where, cleanRun, crashed);
                    assertThat(crashed.finalState().get(subscriber("ann")).status()).as(where)
                            .isEqualTo(EnrollmentStatus.COMPLETED);
                    assertThat(crashed.finalState().get(subscriber("bob")).leaveReason()).as(where)
                            .contains(LeaveReason.GOAL);
                });
        assertThat(idsByStep(clean.deliveries()).keySet())
                .containsExactlyInAnyOrder("ann/step-1", "ann/step-3", "bob/step-1", "ann/next/step-1");
    }

    @Test
    void a_crash_at_any_port_call_of_leaving_or_opting_out_sends_nothing_after_it_and_loses_nothing_for_those_who_stay() {
        Run clean = crashEverywhere("leave_and_opt_out", Setup.of(Scenario.LEAVING), TICK_PATH,
                (where, cleanRun, crashed) -> {
                    sameAsClean(where, cleanRun, crashed);
                    assertThat(crashed.finalState().get(subscriber("ann")).status()).as(where)
                            .isEqualTo(EnrollmentStatus.COMPLETED);
                    assertThat(crashed.finalState().get(subscriber("bob")).leaveReason()).as(where)
                            .contains(LeaveReason.UNSUBSCRIBED);
                    assertThat(crashed.finalState().get(subscriber("cat")).leaveReason()).as(where)
                            .contains(LeaveReason.OPTED_OUT);
                });
        assertThat(idsByStep(clean.deliveries()).keySet()).containsExactlyInAnyOrder(
                "ann/step-1", "ann/step-2", "ann/step-3", "bob/step-1", "cat/step-1");
    }

    @Test
    void a_crashed_tick_retried_only_after_other_ticks_ran_with_a_flaky_channel_and_notices_on_changes_nothing() {
        Setup setup = Setup.of(Scenario.PLAIN).retriedLate().withFlakyChannel().notifying();
        Set<String> windows = new LinkedHashSet<>(TICK_PATH);
        windows.addAll(Set.of("notices.signal", "settings.find"));
        Run clean = crashEverywhere("late_retry_flaky_notices", setup, windows, (where, cleanRun, crashed) -> {
            sameAsClean(where, cleanRun, crashed);
            assertThat(crashed.notices()).as(where + ": the same lifecycle events, once each").isEqualTo(cleanRun.notices());
            assertThat(crashed.deliveries()).as(where + ": every step failed once, then got through")
                    .filteredOn(d -> d.attempt() > 1).extracting(d -> d.deliveryId().value())
                    .containsAll(cleanRun.deliveries().stream().map(d -> d.deliveryId().value()).toList());
        });
        assertThat(clean.deliveries()).hasSize(SUBSCRIBERS.size() * 3 * 2);
        assertThat(clean.notices().get("ann")).hasSize(5); // started, three steps sent, completed
    }

    @Test
    void a_crash_at_any_port_call_under_every_re_entry_policy_keeps_each_life_s_delivery_ids() {
        Map<ReentryPolicy, Long> lives = Map.of(ReentryPolicy.NEVER, 1L, ReentryPolicy.AFTER_COMPLETION, 2L,
                ReentryPolicy.ALWAYS, 2L);
        for (ReentryPolicy policy : ReentryPolicy.values()) {
            Setup setup = Setup.of(Scenario.REENTERING).reentry(policy).notifying();
            Run clean = crashEverywhere("reentry_" + policy.name().toLowerCase(), setup, TICK_PATH,
                    (where, cleanRun, crashed) -> {
                        sameAsClean(where, cleanRun, crashed);
                        assertThat(crashed.notices()).as(where + ": lifecycle events").isEqualTo(cleanRun.notices());
                        assertThat(crashed.finalState()).as(where + ": each subscriber's final life")
                                .allSatisfy((key, e) -> assertThat(e.epoch()).isEqualTo(
                                        cleanRun.finalState().get(key).epoch()));
                    });
            // ann was enrolled again while active (only 'always' restarts her), bob after completing.
            assertThat(clean.finalState().get(subscriber("bob")).epoch()).as(policy + ": bob's lives")
                    .isEqualTo(lives.get(policy));
            assertThat(clean.finalState().get(subscriber("ann")).epoch()).as(policy + ": ann's lives")
                    .isEqualTo(policy == ReentryPolicy.ALWAYS ? 2L : 1L);
        }
    }

    @Test
    void a_step_renamed_between_a_crash_and_its_retry_keeps_its_delivery_id_and_is_recorded_once() {
        Setup setup = Setup.of(Scenario.PLAIN).retriedLate().editing(Edit.RENAME);
        crashEverywhere("edit_rename", setup, TICK_PATH, (where, clean, crashed) -> {
            sameAsClean(where, clean, crashed);
            assertThat(crashed.finalState()).as(where).allSatisfy((key, e) ->
                    assertThat(e.status()).isEqualTo(EnrollmentStatus.COMPLETED));
        });
    }

    @Test
    void a_step_removed_between_a_crash_and_its_retry_is_never_sent_under_a_second_id() {
        Setup setup = Setup.of(Scenario.PLAIN).retriedLate().editing(Edit.REMOVE);
        crashEverywhere("edit_remove", setup, TICK_PATH, (where, clean, crashed) -> {
            assertSentIsRecorded(where, crashed);
            for (String subscriber : SUBSCRIBERS) {
                Enrollment done = crashed.finalState().get(subscriber(subscriber));
                assertThat(done.status()).as(where).isEqualTo(EnrollmentStatus.COMPLETED);
                List<String> sent = idsInOrder(crashed).get(subscriber + "/" + SEQUENCE);
                assertThat(done.history()).as(where + ": " + subscriber + " one record per delivery id, in order")
                        .extracting(StepRecord::deliveryId).containsExactlyElementsOf(sent);
                assertThat(sent).as(where + ": the removed step's slot keeps one id; no slot is sent twice")
                        .hasSizeBetween(2, 3);
                assertThat(sent.get(0)).as(where + ": the first step's id").isEqualTo(
                        idsInOrder(clean).get(subscriber + "/" + SEQUENCE).get(0));
            }
        });
    }

    @Test
    void a_crash_at_any_port_call_while_messenger_holds_or_skips_a_step_changes_nothing() {
        Set<String> windows = new LinkedHashSet<>(TICK_PATH);
        windows.add("subscribers.find");
        Run clean = crashEverywhere("closed_gate", Setup.of(Scenario.GATED).retriedLate(), windows,
                (where, cleanRun, crashed) -> sameAsClean(where, cleanRun, crashed));
        Enrollment ann = clean.finalState().get(subscriber("ann"));
        assertThat(ann.history()).extracting(StepRecord::outcome)
                .containsExactly(StepOutcome.SENT, StepOutcome.SENT, StepOutcome.SKIPPED);
        assertThat(ann.history().get(2).detail()).isEqualTo(MessengerRules.OUTSIDE_WINDOW);
        Delivery annFirst = clean.deliveries().stream().filter(d -> d.key().subscriberId().equals("ann")).findFirst()
                .orElseThrow();
        assertThat(annFirst.dueAt()).as("held while the page's person talked with ann")
                .isBefore(ann.history().get(0).at().minus(Duration.ofMinutes(30)));
    }

    /** ann's ticks go to shard 0 and bob's to shard 1 of two (pinned in TimerShardTest): both queues take part. */
    private static void assertSubscribersOnBothShards() {
        assertThat(TimerShard.of(subscriber("ann"), 2)).isZero();
        assertThat(TimerShard.of(subscriber("bob"), 2)).isEqualTo(1);
    }

    @Test
    void with_ticks_on_two_shards_a_crash_at_any_port_call_loses_no_step_and_never_changes_a_delivery_id() {
        assertSubscribersOnBothShards();
        Run clean = crashEverywhere("sharded_enroll_and_tick", Setup.of(Scenario.PLAIN).sharded(2), TICK_PATH,
                (where, cleanRun, crashed) -> {
                    sameAsClean(where, cleanRun, crashed);
                    assertThat(crashed.finalState()).as(where).allSatisfy((key, e) ->
                            assertThat(e.status()).isEqualTo(EnrollmentStatus.COMPLETED));
                });
        assertThat(clean.deliveries()).hasSize(SUBSCRIBERS.size() * 3);
    }

    @Test
    void with_ticks_on_two_shards_a_crashed_tick_retried_late_with_a_flaky_channel_and_leaving_changes_nothing() {
        assertSubscribersOnBothShards();
        crashEverywhere("sharded_late_retry_flaky", Setup.of(Scenario.PLAIN).sharded(2).retriedLate().withFlakyChannel(),
                TICK_PATH, CrashAtEveryPortCallTest::sameAsClean);
        Run clean = crashEverywhere("sharded_leave_and_opt_out", Setup.of(Scenario.LEAVING).sharded(2), TICK_PATH,
                (where, cleanRun, crashed) -> {
                    sameAsClean(where, cleanRun, crashed);
                    assertThat(crashed.finalState().get(subscriber("bob")).leaveReason()).as(where)
                            .contains(LeaveReason.UNSUBSCRIBED);
                });
        assertThat(idsByStep(clean.deliveries()).keySet()).containsExactlyInAnyOrder(
                "ann/step-1", "ann/step-2", "ann/step-3", "bob/step-1", "cat/step-1");
    }

    /** subscriber/step → the distinct delivery ids it was sent under. */
    private static Map<String, Set<String>> idsByStep(List<Delivery> deliveries) {
        return deliveries.stream().collect(Collectors.groupingBy(
                d -> d.key().subscriberId() + (d.key().sequenceId().equals(SEQUENCE) ? "" : "/" + d.key().sequenceId())
                        + "/" + originalName(d.stepId()),
                Collectors.mapping(d -> d.deliveryId().value(), Collectors.toSet())));
    }
}
