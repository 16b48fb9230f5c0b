package io.sequencer.functions;

import io.sequencer.adapters.azure.QueueTimerQueue;
import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.adapters.azure.TableEnrollmentStore;
import io.sequencer.adapters.azure.TableSequenceStore;
import io.sequencer.adapters.channel.ChannelRouter;
import io.sequencer.adapters.channel.HttpClients;
import io.sequencer.adapters.channel.WebhookChannel;
import io.sequencer.domain.RetryBackoff;
import io.sequencer.engine.Enrollments;
import io.sequencer.engine.SequenceCatalog;
import io.sequencer.engine.TickHandler;
import io.sequencer.engine.TimerTokens;
import java.time.Clock;
import java.util.function.Function;

/**
 * The composition root: builds the object graph once per worker from app settings, without a DI
 * framework, so a cold start costs only the clients it really needs.
 */
public final class FunctionApp {
    /** The timer queue; the tick function's trigger names the same queue. */
    public static final String TICK_QUEUE = "sequencer-ticks";
    public static final String SEQUENCES_TABLE = "sequences";
    public static final String ENROLLMENTS_TABLE = "enrollments";

    private static volatile FunctionApp instance;

    private final Function<String, String> settings;
    private final StorageClients storage;
    private final SequenceCatalog sequences;
    private final Enrollments enrollments;
    private final TickHandler ticks;

    private FunctionApp(Function<String, String> settings) {
        this.settings = settings;
        Clock clock = Clock.systemUTC();
        storage = StorageClients.fromSettings(settings);
        storage.ensureExists(TICK_QUEUE, SEQUENCES_TABLE, ENROLLMENTS_TABLE);
        var sequenceStore = new TableSequenceStore(storage.table(SEQUENCES_TABLE));
        var enrollmentStore = new TableEnrollmentStore(storage.table(ENROLLMENTS_TABLE));
        var timers = new QueueTimerQueue(storage.queue(TICK_QUEUE));
        var channel = new ChannelRouter(new WebhookChannel(HttpClients.shared(), settings, clock));
        TimerTokens tokens = TimerTokens.random();
        sequences = new SequenceCatalog(sequenceStore, clock);
        enrollments = new Enrollments(sequenceStore, enrollmentStore, timers, tokens, clock);
        ticks = new TickHandler(sequenceStore, enrollmentStore, timers, channel, tokens, RetryBackoff.DEFAULT, clock);
    }

    public static FunctionApp get() {
        FunctionApp app = instance;
        if (app == null) {
            synchronized (FunctionApp.class) {
                app = instance;
                if (app == null) {
                    app = new FunctionApp(AppSettings.current());
                    instance = app;
                }
            }
        }
        return app;
    }

    /** For a local host that changed the settings: the next call to {@link #get()} builds a new graph. */
    public static synchronized void reset() {
        instance = null;
    }

    public Function<String, String> settings() {
        return settings;
    }

    public SequenceCatalog sequences() {
        return sequences;
    }

    public Enrollments enrollments() {
        return enrollments;
    }

    public TickHandler ticks() {
        return ticks;
    }

    public StorageClients storage() {
        return storage;
    }
}
