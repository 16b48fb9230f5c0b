package io.sequencer.functions;

import io.sequencer.adapters.azure.QueueBroadcastQueue;
import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.adapters.channel.HttpClients;
import io.sequencer.adapters.channel.SystemHostResolver;
import io.sequencer.adapters.json.ChannelForms;
import io.sequencer.channel.ChannelTypes;
import io.sequencer.engine.Sequencer;
import io.sequencer.engine.send.AddressGuard;
import io.sequencer.engine.send.DestinationGuard;
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

    /** The engine every function works with: its use cases, as {@code FunctionApp.get().engine().enrollments()}. */
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

    /** The bulkhead and circuits of this instance's sends, by destination. */
    public DestinationGuard destinations() {
        return engine.gate().guard();
    }
}
