package io.sequencer.engine;

import io.sequencer.domain.timer.RetryBackoff;
import io.sequencer.engine.account.AccountKeyStore;
import io.sequencer.engine.account.AccountKeys;
import io.sequencer.engine.broadcast.BroadcastFanOut;
import io.sequencer.engine.broadcast.BroadcastQueue;
import io.sequencer.engine.broadcast.BroadcastSender;
import io.sequencer.engine.broadcast.BroadcastStore;
import io.sequencer.engine.broadcast.Broadcasts;
import io.sequencer.engine.channel.Channels;
import io.sequencer.engine.enrollment.BatchEnrollments;
import io.sequencer.engine.enrollment.EnrollmentListing;
import io.sequencer.engine.enrollment.EnrollmentStore;
import io.sequencer.engine.enrollment.Enrollments;
import io.sequencer.engine.event.EventLog;
import io.sequencer.engine.event.Events;
import io.sequencer.engine.idempotency.IdempotencyStore;
import io.sequencer.engine.imports.ImportPages;
import io.sequencer.engine.imports.ImportQueue;
import io.sequencer.engine.imports.ImportStore;
import io.sequencer.engine.imports.Imports;
import io.sequencer.engine.job.BulkJobs;
import io.sequencer.engine.job.JobQueue;
import io.sequencer.engine.job.JobStore;
import io.sequencer.engine.idempotency.IdempotentRequests;
import io.sequencer.engine.notification.LifecycleNotices;
import io.sequencer.engine.notification.NoticeDispatcher;
import io.sequencer.engine.notification.NoticeQueue;
import io.sequencer.engine.notification.NoticeSender;
import io.sequencer.engine.notification.NotificationSettingsStore;
import io.sequencer.engine.notification.Notifications;
import io.sequencer.engine.poison.PoisonReplay;
import io.sequencer.engine.poison.PoisonSweeper;
import io.sequencer.engine.poison.PoisonedTicks;
import io.sequencer.engine.preview.StepPreviews;
import io.sequencer.engine.report.Reports;
import io.sequencer.engine.secret.AccountSecrets;
import io.sequencer.engine.secret.KeyWrap;
import io.sequencer.engine.secret.SecretLookup;
import io.sequencer.engine.secret.SecretReferences;
import io.sequencer.engine.secret.SecretStore;
import io.sequencer.engine.send.Channel;
import io.sequencer.engine.send.SendGate;
import io.sequencer.engine.send.SendLimits;
import io.sequencer.engine.sequence.SequenceCatalog;
import io.sequencer.engine.sequence.SequenceStore;
import io.sequencer.engine.subscriber.Erasure;
import io.sequencer.engine.subscriber.SubscriberStore;
import io.sequencer.engine.subscriber.Subscribers;
import io.sequencer.engine.subscriber.Timeline;
import io.sequencer.engine.limit.CapStore;
import io.sequencer.engine.limit.FrequencyCaps;
import io.sequencer.engine.tick.TickHandler;
import io.sequencer.engine.timer.HorizonTimers;
import io.sequencer.engine.timer.ParkingLot;
import io.sequencer.engine.timer.TimerPump;
import io.sequencer.engine.timer.TimerQueue;
import io.sequencer.engine.timer.TimerTokens;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The engine: every use case wired to the ports it was given, by {@link #builder()}, the one place that assembles
 * it. The Functions app, the tests' fixtures and the benchmark all build it here, so their wirings cannot drift
 * apart. A use case whose ports were not given is not built; asking for it names the missing port.
 *
 * <p>It runs past 250 lines because the builder lists each port once with the one line saying what it is for; the
 * wiring itself is the constructor.
 */
public final class Sequencer {
    /** Workers moving parked timers side by side within one pump run. */
    static final int PUMP_PARALLELISM = 8;

    private final Clock clock;
    private final SendGate gate;
    private final LifecycleNotices notices;
    private final TimerQueue timers;
    private final SequenceCatalog sequences;
    private final Enrollments enrollments;
    private final BatchEnrollments batchEnrollments;
    private final EnrollmentListing enrollmentListing;
    private final Subscribers subscribers;
    private final Erasure erasure;
    private final Events events;
    private final Timeline timeline;
    private final TickHandler ticks;
    private final TimerPump pump;
    private final Notifications notifications;
    private final NoticeDispatcher noticeDispatcher;
    private final PoisonedTicks poisonedTicks;
    private final Reports reports;
    private final PoisonReplay poisonReplay;
    private final PoisonSweeper poisonSweeper;
    private final Broadcasts broadcasts;
    private final BroadcastFanOut broadcastFanOut;
    private final BroadcastSender broadcastSender;
    private final IdempotentRequests idempotentRequests;
    private final BulkJobs jobs;
    private final AccountKeys accountKeys;
    private final AccountSecrets secrets;
    private final StepPreviews previews;
    private final Imports imports;
    private final ImportPages importPages;

    private Sequencer(Builder b) {
        clock = Objects.requireNonNull(b.clock, "clock");
        // The channel types given to the builder rule every send, a test's own gate included.
        Channels channelRules = b.channelRules != null ? b.channelRules : new Channels(List.of());
        SendGate given = b.gate != null ? (b.channelRules != null ? b.gate.withChannels(channelRules) : b.gate)
                : b.limits != null ? b.limits.gate(clock, channelRules) : SendGate.open(channelRules);
        gate = b.capStore != null ? given.withCaps(new FrequencyCaps(b.capStore, clock)) : given;
        notices = b.notificationSettings != null && b.noticeQueue != null
                ? new LifecycleNotices(b.notificationSettings, b.noticeQueue, clock) : LifecycleNotices.OFF;
        TimerQueue triggered = b.timers;
        timers = triggered != null && b.parking != null
                ? new HorizonTimers(triggered, b.parking, b.horizon, clock) : triggered;
        pump = triggered != null && b.parking != null
                ? new TimerPump(b.parking, triggered, b.horizon, clock, PUMP_PARALLELISM) : null;
        SequenceStore sequenceStore = b.sequences;
        EnrollmentStore enrollmentStore = b.enrollments;
        SubscriberStore subscriberStore = b.subscribers;
        sequences = sequenceStore == null ? null : new SequenceCatalog(sequenceStore, clock);
        boolean core = sequenceStore != null && enrollmentStore != null && subscriberStore != null && timers != null;
        enrollments = core ? new Enrollments(sequenceStore, enrollmentStore, subscriberStore, timers, b.tokens, notices,
                gate.channels(), clock) : null;
        batchEnrollments = core ? new BatchEnrollments(sequenceStore, enrollmentStore, subscriberStore, timers, b.tokens,
                notices, clock) : null;
        enrollmentListing = sequenceStore != null && enrollmentStore != null
                ? new EnrollmentListing(sequenceStore, enrollmentStore) : null;
        subscribers = core ? new Subscribers(subscriberStore, sequenceStore, enrollments, clock) : null;
        erasure = subscriberStore != null && enrollmentStore != null && b.eventLog != null
                ? new Erasure(subscriberStore, enrollmentStore, b.eventLog, Optional.ofNullable(b.poisonedTicks),
                        Optional.ofNullable(b.broadcastStore), Optional.ofNullable(b.idempotencyStore),
                        Optional.ofNullable(b.capStore), Optional.ofNullable(b.jobStore),
                        Optional.ofNullable(b.importStore), clock) : null;
        events = core && b.eventLog != null ? new Events(sequenceStore, enrollmentStore, subscriberStore, enrollments,
                subscribers, timers, b.tokens, notices, b.eventLog, clock) : null;
        timeline = subscriberStore != null && enrollmentStore != null && b.eventLog != null
                ? new Timeline(subscriberStore, enrollmentStore, b.eventLog, gate.guard().deferredSteps()) : null;
        secrets = b.secretStore != null && b.keyWrap != null ? new AccountSecrets(b.secretStore, b.keyWrap,
                new SecretReferences(sequenceStore, b.broadcastStore, b.notificationSettings, clock), clock) : null;
        Channel channel = b.channel == null ? null : b.channel.apply(secrets);
        ticks = core && channel != null ? new TickHandler(sequenceStore, enrollmentStore, subscriberStore, enrollments,
                timers, channel, b.tokens, b.backoff, notices, gate, clock) : null;
        notifications = b.notificationSettings == null ? null
                : new Notifications(b.notificationSettings, notices, clock);
        NoticeSender sender = b.noticeSender == null ? null : b.noticeSender.apply(secrets);
        noticeDispatcher = sender != null && b.noticeQueue != null && enrollmentStore != null
                && b.notificationSettings != null
                ? new NoticeDispatcher(b.noticeQueue, enrollmentStore, b.notificationSettings, sender, clock) : null;
        poisonedTicks = b.poisonedTicks;
        reports = sequenceStore != null && enrollmentStore != null && b.poisonedTicks != null
                ? new Reports(sequenceStore, enrollmentStore, b.poisonedTicks, clock) : null;
        poisonReplay = sequenceStore != null && b.poisonedTicks != null && timers != null
                ? new PoisonReplay(sequenceStore, b.poisonedTicks, timers, clock) : null;
        poisonSweeper = b.poisonQueues != null && b.poisonedTicks != null
                ? new PoisonSweeper(b.poisonQueues, b.poisonedTicks, enrollmentStore == null ? tick -> true
                        : tick -> enrollmentStore.find(tick.key()).isPresent(), clock) : null;
        boolean broadcast = b.broadcastStore != null && b.broadcastQueue != null;
        broadcasts = broadcast ? new Broadcasts(b.broadcastStore, b.broadcastQueue, clock) : null;
        broadcastFanOut = broadcast && core
                ? new BroadcastFanOut(b.broadcastStore, subscriberStore, subscribers, b.broadcastQueue, clock) : null;
        broadcastSender = broadcast && subscriberStore != null && channel != null
                ? new BroadcastSender(b.broadcastStore, subscriberStore, b.broadcastQueue, channel, gate, b.backoff,
                        b.tokens, clock) : null;
        idempotentRequests = b.idempotencyStore == null ? null : new IdempotentRequests(b.idempotencyStore, clock);
        jobs = core && b.jobStore != null && b.jobQueue != null
                ? new BulkJobs(sequenceStore, enrollmentStore, enrollments, b.jobStore, b.jobQueue, clock) : null;
        accountKeys = b.accountKeyStore == null ? null : new AccountKeys(b.accountKeyStore, b.random, clock);
        previews = sequenceStore != null && subscriberStore != null && channel != null
                ? new StepPreviews(sequenceStore, subscriberStore, gate.channels(), channel, clock) : null;
        boolean importing = b.importStore != null && b.importQueue != null;
        imports = importing ? new Imports(b.importStore, b.importQueue, clock) : null;
        importPages = importing && core ? new ImportPages(b.importStore, b.importQueue, subscriberStore, subscribers,
                enrollments, clock) : null;
    }

    public static Builder builder() {
        return new Builder();
    }

    private static <T> T given(T component, String ports) {
        if (component == null) {
            throw new IllegalStateException("this engine was built without " + ports);
        }
        return component;
    }

    public Clock clock() {
        return clock;
    }

    /** The one gate of steps and broadcasts: budgets, bulkheads and circuits by destination. */
    public SendGate gate() {
        return gate;
    }

    /** Where timers go: the triggered queue, or the parking lot beyond the horizon when one was given. */
    public TimerQueue timers() {
        return given(timers, "a timer queue");
    }

    /** The accounts' frequency caps. */
    public FrequencyCaps caps() {
        return gate.caps();
    }

    public LifecycleNotices notices() {
        return notices;
    }

    public SequenceCatalog sequences() {
        return given(sequences, "a sequence store");
    }

    public Enrollments enrollments() {
        return given(enrollments, "sequence, enrollment and subscriber stores and a timer queue");
    }

    public BatchEnrollments batchEnrollments() {
        return given(batchEnrollments, "sequence, enrollment and subscriber stores and a timer queue");
    }

    public EnrollmentListing enrollmentListing() {
        return given(enrollmentListing, "sequence and enrollment stores");
    }

    public Subscribers subscribers() {
        return given(subscribers, "sequence, enrollment and subscriber stores and a timer queue");
    }

    public Erasure erasure() {
        return given(erasure, "subscriber and enrollment stores and an event log");
    }

    public Events events() {
        return given(events, "an event log beside the stores and timer queue");
    }

    public Timeline timeline() {
        return given(timeline, "subscriber and enrollment stores and an event log");
    }

    public TickHandler ticks() {
        return given(ticks, "a channel beside the stores and timer queue");
    }

    public TimerPump pump() {
        return given(pump, "a parking lot");
    }

    public Notifications notifications() {
        return given(notifications, "a notification settings store");
    }

    public NoticeDispatcher noticeDispatcher() {
        return given(noticeDispatcher, "a notice queue, notification settings and a notice sender");
    }

    public PoisonedTicks poisonedTicks() {
        return given(poisonedTicks, "poisoned ticks");
    }

    public Reports reports() {
        return given(reports, "poisoned ticks beside the sequence and enrollment stores");
    }

    public PoisonReplay poisonReplay() {
        return given(poisonReplay, "poisoned ticks and a timer queue");
    }

    public PoisonSweeper poisonSweeper() {
        return given(poisonSweeper, "poison queues and poisoned ticks");
    }

    public Broadcasts broadcasts() {
        return given(broadcasts, "a broadcast store and queue");
    }

    public BroadcastFanOut broadcastFanOut() {
        return given(broadcastFanOut, "a broadcast store and queue beside the engine's stores");
    }

    public BroadcastSender broadcastSender() {
        return given(broadcastSender, "a broadcast store and queue and a channel");
    }

    public Imports imports() {
        return given(imports, "an import store and queue");
    }

    public ImportPages importPages() {
        return given(importPages, "an import store and queue beside the engine's stores");
    }

    public IdempotentRequests idempotentRequests() {
        return given(idempotentRequests, "an idempotency store");
    }

    public BulkJobs jobs() {
        return given(jobs, "a job store and queue beside the engine's stores");
    }

    public AccountKeys accountKeys() {
        return given(accountKeys, "an account key store");
    }

    public StepPreviews previews() {
        return given(previews, "sequence and subscriber stores and a channel");
    }

    public AccountSecrets secrets() {
        return given(secrets, "a secret store and key wrap");
    }

    /** The ports and settings of one engine; each setter names what the port is for. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private SequenceStore sequences;
        private EnrollmentStore enrollments;
        private SubscriberStore subscribers;
        private EventLog eventLog;
        private TimerQueue timers;
        private ParkingLot parking;
        private Duration horizon;
        private Function<SecretLookup, Channel> channel;
        private Channels channelRules;
        private TimerTokens tokens = TimerTokens.random();
        private RetryBackoff backoff = RetryBackoff.DEFAULT;
        private SendGate gate;
        private SendLimits limits;
        private NotificationSettingsStore notificationSettings;
        private NoticeQueue noticeQueue;
        private Function<SecretLookup, NoticeSender> noticeSender;
        private PoisonedTicks poisonedTicks;
        private List<PoisonSweeper.Source> poisonQueues;
        private BroadcastStore broadcastStore;
        private BroadcastQueue broadcastQueue;
        private IdempotencyStore idempotencyStore;
        private JobStore jobStore;
        private JobQueue jobQueue;
        private AccountKeyStore accountKeyStore;
        private SecureRandom random = new SecureRandom();
        private SecretStore secretStore;
        private KeyWrap keyWrap;
        private CapStore capStore;
        private ImportStore importStore;
        private ImportQueue importQueue;

        private Builder() {}

        /** Time of every rule; the system's UTC clock unless a test steps one. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** The sequence, enrollment and subscriber stores every use case reads. */
        public Builder stores(SequenceStore sequences, EnrollmentStore enrollments, SubscriberStore subscribers) {
            this.sequences = sequences;
            this.enrollments = enrollments;
            this.subscribers = subscribers;
            return this;
        }

        /** The subscribers' reported events, for goals, conditions and timelines. */
        public Builder eventLog(EventLog eventLog) {
            this.eventLog = eventLog;
            return this;
        }

        /** The queue whose timers trigger ticks. */
        public Builder timers(TimerQueue timers) {
            this.timers = timers;
            return this;
        }

        /** Timers due beyond {@code horizon} wait in {@code parking}, from where the pump moves them across. */
        public Builder parking(ParkingLot parking, Duration horizon) {
            this.parking = parking;
            this.horizon = horizon;
            return this;
        }

        /** The rules of every channel type this app sends through: the registered channel types'. */
        public Builder channelTypes(Channels rules) {
            this.channelRules = rules;
            return this;
        }

        /** Where steps and broadcasts are sent. */
        public Builder channel(Channel channel) {
            return channelOverSecrets(secrets -> channel);
        }

        /** The channel made over the accounts' own secrets ({@link #secrets}): null when none were given. */
        public Builder channelOverSecrets(Function<SecretLookup, Channel> channel) {
            this.channel = channel;
            return this;
        }

        /** The tokens that tell a timer's own tick from a stale one; random unless a test numbers them. */
        public Builder tokens(TimerTokens tokens) {
            this.tokens = tokens;
            return this;
        }

        /** How a failed send is retried; {@link RetryBackoff#DEFAULT} unless a test shortens it. */
        public Builder backoff(RetryBackoff backoff) {
            this.backoff = backoff;
            return this;
        }

        /** The limits sends keep, from the app's settings; without them (or a {@link #gate}) sends are not held. */
        public Builder limits(SendLimits limits) {
            this.limits = limits;
            return this;
        }

        /** The accounts' frequency caps and subscribers' send logs; without them no send is capped. */
        public Builder caps(CapStore store) {
            this.capStore = store;
            return this;
        }

        /** A gate of the caller's own, for tests of one rule: it replaces {@link #limits}. */
        public Builder gate(SendGate gate) {
            this.gate = gate;
            return this;
        }

        /** The accounts' notification settings and the queue of lifecycle notices; without them notices are off. */
        public Builder notices(NotificationSettingsStore settings, NoticeQueue queue) {
            this.notificationSettings = settings;
            this.noticeQueue = queue;
            return this;
        }

        /** Delivers lifecycle notices. */
        public Builder noticeSender(NoticeSender sender) {
            return noticeSenderOverSecrets(secrets -> sender);
        }

        /** The notice sender made over the accounts' own secrets ({@link #secrets}): null when none were given. */
        public Builder noticeSenderOverSecrets(Function<SecretLookup, NoticeSender> sender) {
            this.noticeSender = sender;
            return this;
        }

        /** Ticks that failed every attempt, kept for reports and replay. */
        public Builder poisonedTicks(PoisonedTicks poisonedTicks) {
            this.poisonedTicks = poisonedTicks;
            return this;
        }

        /** The poison queues the sweeper drains into {@link #poisonedTicks}. */
        public Builder poisonQueues(List<PoisonSweeper.Source> sources) {
            this.poisonQueues = List.copyOf(sources);
            return this;
        }

        public Builder broadcasts(BroadcastStore store, BroadcastQueue queue) {
            this.broadcastStore = store;
            this.broadcastQueue = queue;
            return this;
        }

        /** Imports of subscribers: their jobs, staged pages and errors, and the queue that wakes their page job. */
        public Builder imports(ImportStore store, ImportQueue queue) {
            this.importStore = store;
            this.importQueue = queue;
            return this;
        }

        /** The answers given to API writes, by idempotency key. */
        public Builder idempotency(IdempotencyStore store) {
            this.idempotencyStore = store;
            return this;
        }

        /** Bulk jobs (leave, move) and the queue of their pages. */
        public Builder jobs(JobStore store, JobQueue queue) {
            this.jobStore = store;
            this.jobQueue = queue;
            return this;
        }

        /** Account API keys, made with {@code random}. */
        public Builder accountKeys(AccountKeyStore store, SecureRandom random) {
            this.accountKeyStore = store;
            this.random = random;
            return this;
        }

        /** The accounts' own secrets, sealed in {@code store} under data keys {@code keyWrap} wraps. */
        public Builder secrets(SecretStore store, KeyWrap keyWrap) {
            this.secretStore = store;
            this.keyWrap = keyWrap;
            return this;
        }

        public Sequencer build() {
            if (parking != null && horizon == null) {
                throw new IllegalStateException("a parking lot needs its horizon");
            }
            if (channel != null && channelRules == null) {
                throw new IllegalStateException("a channel needs the rules of the channel types it sends through");
            }
            return new Sequencer(this);
        }
    }
}
