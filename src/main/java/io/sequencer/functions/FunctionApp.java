package io.sequencer.functions;

import io.sequencer.adapters.azure.QueueBroadcastQueue;
import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.adapters.channel.HttpClients;
import io.sequencer.adapters.channel.SystemHostResolver;
import io.sequencer.adapters.json.ChannelForms;
import io.sequencer.channel.ChannelTypes;
import io.sequencer.engine.Sequencer;
import io.sequencer.engine.account.AccountKeys;
import io.sequencer.engine.broadcast.BroadcastFanOut;
import io.sequencer.engine.broadcast.BroadcastSender;
import io.sequencer.engine.broadcast.Broadcasts;
import io.sequencer.engine.enrollment.EnrollmentListing;
import io.sequencer.engine.enrollment.BatchEnrollments;
import io.sequencer.engine.enrollment.Enrollments;
import io.sequencer.engine.event.Events;
import io.sequencer.engine.idempotency.IdempotentRequests;
import io.sequencer.engine.imports.ImportPages;
import io.sequencer.engine.imports.Imports;
import io.sequencer.engine.job.BulkJobs;
import io.sequencer.engine.limit.FrequencyCaps;
import io.sequencer.engine.notification.NoticeDispatcher;
import io.sequencer.engine.notification.Notifications;
import io.sequencer.engine.poison.PoisonReplay;
import io.sequencer.engine.poison.PoisonSweeper;
import io.sequencer.engine.poison.PoisonedTicks;
import io.sequencer.engine.preview.StepPreviews;
import io.sequencer.engine.report.Reports;
import io.sequencer.engine.secret.AccountSecrets;
import io.sequencer.engine.send.AddressGuard;
import io.sequencer.engine.send.DestinationGuard;
import io.sequencer.engine.sequence.SequenceCatalog;
import io.sequencer.engine.subscriber.Erasure;
import io.sequencer.engine.subscriber.Subscribers;
import io.sequencer.engine.subscriber.Timeline;
import io.sequencer.engine.tick.TickHandler;
import io.sequencer.engine.timer.TimerPump;
import io.sequencer.engine.timer.TimerQueue;
import java.time.Clock;

/**
 * The functions' view of the engine: built once per worker from the {@link Settings} of the process (a DI
 * framework would cost every cold start), by {@link Sequencer#builder()} over the Azure ports of
 * {@link AzureWiring}. Function classes are instantiated by the host, so they reach it through {@link #get()}.
 */
public final class FunctionApp {
    private static volatile FunctionApp instance;

    private final Sequencer engine;
    private final AzureWiring azure;
    private final AddressGuard addressGuard;
    private final Access access;
    private final ReportLinks reportLinks;
    private final NamedSecrets namedSecrets;
    private final ChannelForms channelForms;

    private FunctionApp(Settings settings, Clock clock) {
        addressGuard = new AddressGuard(settings.destinations(), new SystemHostResolver());
        azure = AzureWiring.of(settings, HttpClients.shared(addressGuard), clock);
        engine = azure.engine();
        access = new Access(settings.adminKey(), engine.accountKeys());
        reportLinks = settings.reportLinks();
        namedSecrets = new NamedSecrets(settings, engine.secrets());
        channelForms = ChannelTypes.ALL.forms();
    }

    /** The app of this worker: the one {@link #start} built, else one built now from the environment's settings. */
    public static FunctionApp get() {
        FunctionApp app = instance;
        if (app == null) {
            synchronized (FunctionApp.class) {
                app = instance;
                if (app == null) {
                    app = start(Settings.fromEnvironment());
                }
            }
        }
        return app;
    }

    /**
     * Builds the app from {@code settings} and makes it the one {@link #get()} returns. A Functions worker starts
     * it once, from the environment, on first use; a host that serves the app inside its own process starts it
     * from the settings that host holds, before the first function runs.
     */
    public static synchronized FunctionApp start(Settings settings) {
        FunctionApp app = new FunctionApp(settings, Clock.systemUTC());
        instance = app;
        return app;
    }

    /** The engine every function works with. */
    public Sequencer engine() {
        return engine;
    }

    /** Where tenants' URLs may lead; checked when they are defined and again when a send connects. */
    public AddressGuard addressGuard() {
        return addressGuard;
    }

    /** Authenticates every HTTP request (admin key or account key); fails closed without an admin key. */
    Access access() {
        return access;
    }

    /** Issues and opens report links; fails closed when its key is not configured. */
    ReportLinks reportLinks() {
        return reportLinks;
    }

    /** How requests and responses spell each channel type's channel. */
    ChannelForms channelForms() {
        return channelForms;
    }

    /** Refuses definitions naming secrets that are not there. */
    NamedSecrets namedSecrets() {
        return namedSecrets;
    }

    public StorageClients storage() {
        return azure.storage();
    }

    public QueueBroadcastQueue broadcastQueue() {
        return azure.broadcastQueue();
    }

    /** Timers waiting in the parking queue (approximate). */
    public long parkedTimers() {
        return azure.timerMetrics().parkedTimers();
    }

    /** Messages in the triggered tick queues of every shard, hidden ones included (approximate). */
    public long triggeredTimers() {
        return azure.timerMetrics().triggeredTimers();
    }

    public TimerMetrics timerMetrics() {
        return azure.timerMetrics().now();
    }

    // The engine's use cases, as the function classes ask for them.

    public Clock clock() { return engine.clock(); }
    public SequenceCatalog sequences() { return engine.sequences(); }
    public Enrollments enrollments() { return engine.enrollments(); }
    public BatchEnrollments batchEnrollments() { return engine.batchEnrollments(); }
    /** Where ticks are scheduled: the triggered queue when due soon, else the parking lot. */
    public TimerQueue timers() { return engine.timers(); }
    public EnrollmentListing enrollmentListing() { return engine.enrollmentListing(); }
    public Subscribers subscribers() { return engine.subscribers(); }
    public Erasure erasure() { return engine.erasure(); }
    public Events events() { return engine.events(); }
    public Timeline timeline() { return engine.timeline(); }
    public AccountSecrets secrets() { return engine.secrets(); }
    public StepPreviews previews() { return engine.previews(); }
    public Notifications notifications() { return engine.notifications(); }
    public FrequencyCaps caps() { return engine.caps(); }
    public NoticeDispatcher noticeDispatcher() { return engine.noticeDispatcher(); }
    /** The bulkhead and circuits of this instance's sends, by destination. */
    public DestinationGuard destinations() { return engine.gate().guard(); }
    public TickHandler ticks() { return engine.ticks(); }
    public TimerPump pump() { return engine.pump(); }
    public PoisonedTicks poisonedTicks() { return engine.poisonedTicks(); }
    public PoisonSweeper poisonSweeper() { return engine.poisonSweeper(); }
    public PoisonReplay poisonReplay() { return engine.poisonReplay(); }
    public Reports reports() { return engine.reports(); }
    public AccountKeys accountKeys() { return engine.accountKeys(); }
    public IdempotentRequests idempotentRequests() { return engine.idempotentRequests(); }
    public Broadcasts broadcasts() { return engine.broadcasts(); }
    public BroadcastFanOut broadcastFanOut() { return engine.broadcastFanOut(); }
    public BroadcastSender broadcastSender() { return engine.broadcastSender(); }
    public Imports imports() { return engine.imports(); }
    public ImportPages importPages() { return engine.importPages(); }
    public BulkJobs jobs() { return engine.jobs(); }
}
