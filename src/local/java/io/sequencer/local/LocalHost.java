package io.sequencer.local;

import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.functions.FunctionApp;
import io.sequencer.functions.Settings;
import io.sequencer.functions.TickFunction;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A development stand-in for the Azure Functions host (Core Tools cannot be installed everywhere): serves the
 * staged function app's HTTP functions and runs its queue triggers against Azurite. Built beside the app
 * (src/local/java, into target/local-classes), never into the deployed app; the README lists where it differs from
 * the real host.
 */
public final class LocalHost implements AutoCloseable {
    /**
     * The one key of a local run: what the gateway would check on a function-level route, as the host checks its
     * function keys, and what the app itself accepts as its admin key (Access.ADMIN_KEY_SETTING). Every HTTP function
     * is anonymous to the host and authenticates in the app, so both ends read this one setting.
     */
    public static final String FUNCTION_KEY_SETTING = "SEQUENCER_ADMIN_KEY";
    /** Held so the level set on it is not lost when the logger would otherwise be collected. */
    private static final List<java.util.logging.Logger> QUIETED = TickFunction.NAMES.stream()
            .map(name -> java.util.logging.Logger.getLogger("Function." + name)).toList();
    private static final java.util.logging.Logger QUIETED_PUMP = java.util.logging.Logger.getLogger("Function.pump");
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(LocalHost.class.getName());

    /** What running invocations get to finish when the process is asked to stop; the rest return to the queue. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final HttpGateway http;
    private final List<QueueTriggerListener> listeners = new ArrayList<>();
    private final List<TimerTriggerRunner> timers = new ArrayList<>();
    /** The storage of each connection the triggers name: one connection pool per account the host polls. */
    private final Map<String, StorageClients> triggerStorage = new HashMap<>();

    private LocalHost(StagedApp staged, Map<String, String> settings, Function<String, String> derived, int port)
            throws IOException {
        Map<String, String> given = Map.copyOf(settings);
        // The host holds the app's settings, as the Functions host holds a worker's: the given ones, then the derived
        // ones, then the environment.
        Function<String, String> held = name -> {
            String value = given.containsKey(name) ? given.get(name) : derived.apply(name);
            return value != null ? value : System.getenv(name);
        };
        FunctionApp.start(Settings.parse(held));
        StagedApp app = staged.withoutDisabled(settings);
        ClassLoader loader = LocalHost.class.getClassLoader();
        http = new HttpGateway(app, loader, port, settings.get(FUNCTION_KEY_SETTING));
        http.serveLocally(LocalReceiver.PATH, LocalReceiver.forSettings(given));
        for (StagedApp.FunctionDefinition f : app.functions()) {
            if (f.trigger() instanceof StagedApp.QueueTrigger q) {
                StorageClients storage = triggerStorage.computeIfAbsent(q.connection(), connection -> {
                    StorageClients clients = StorageClients.fromSettings(held, connection).orElseThrow(() ->
                            new IllegalStateException("setting " + connection + " (the queue trigger's connection) is"
                                    + " not set, nor " + connection + "__accountName or " + connection + "__queueServiceUri"));
                    LOG.info("queue triggers on " + connection + ": " + clients.describe());
                    return clients;
                });
                // Read without decoding, so the host decodes base64 itself, exactly as the real host does.
                listeners.add(new QueueTriggerListener(f, app.queueOptions(), storage.rawQueue(q.queueName()),
                        storage.rawQueue(q.queueName() + "-poison"), new FunctionInvoker(f, loader, app.functionTimeout())));
            } else if (f.trigger() instanceof StagedApp.TimerTrigger t) {
                timers.add(new TimerTriggerRunner(f, t.schedule(), new FunctionInvoker(f, loader, app.functionTimeout())));
            }
        }
    }

    /** Starts serving {@code app} on 127.0.0.1:{@code port} (0 = any free port) with {@code settings}. */
    public static LocalHost start(Path stagedApp, Map<String, String> settings, int port) throws IOException {
        return start(stagedApp, settings, name -> null, port);
    }

    /**
     * As {@link #start(Path, Map, int)}; a setting {@code settings} lacks is asked of {@code derived} (null when it
     * has none) before the environment: tests give every account of theirs its own secret setting this way.
     */
    public static LocalHost start(Path stagedApp, Map<String, String> settings, Function<String, String> derived, int port)
            throws IOException {
        LocalHost host = new LocalHost(StagedApp.load(stagedApp), settings, derived, port);
        host.http.start();
        host.listeners.forEach(QueueTriggerListener::start);
        host.timers.forEach(TimerTriggerRunner::start);
        return host;
    }

    public int port() {
        return http.port();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /**
     * Stops taking work; running invocations get {@code grace} to finish, unfinished messages return to the queue.
     * Every trigger stops taking work first and all then share the one grace period, so the stop is bounded by it.
     */
    public void stop(Duration grace) {
        http.close();
        timers.forEach(TimerTriggerRunner::stop);
        listeners.forEach(QueueTriggerListener::stopTaking);
        long deadline = System.nanoTime() + grace.toNanos();
        listeners.forEach(l -> l.awaitStopped(deadline));
        timers.forEach(t -> t.awaitStopped(deadline));
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    public static void main(String[] args) throws Exception {
        // One line per log record, as a console reader expects; set before the first logger exists.
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$-7s %3$s: %5$s%6$s%n");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // The JDK's HTTP server otherwise waits on Nagle's algorithm: about 40 ms per answer to a keep-alive client.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // The SDK logs every 404 of a point read as an error; a missing row is a normal answer here.
        System.setProperty("org.slf4j.simpleLogger.log.com.azure.data.tables.TableClient", "off");
        LocalHostOptions options = LocalHostOptions.parse(args);
        if (options.demo()) {
            // The demo prints each delivery itself; keep the per-tick log lines for real runs.
            QUIETED.forEach(logger -> logger.setLevel(java.util.logging.Level.WARNING));
            QUIETED_PUMP.setLevel(java.util.logging.Level.WARNING);
        }
        Map<String, String> settings = LocalKeys.withKeys(options.projectDir(), LocalSettings.load(options.projectDir()));
        if (options.demo()) {
            // The demo's receiver listens on 127.0.0.1.
            settings.putIfAbsent(Settings.ALLOW_LOOPBACK, "true");
        }
        long started = System.nanoTime();
        String localIdentity = settings.get(LocalIdentityEndpoint.CLIENT_ID_SETTING);
        // Identity-based storage: the token endpoint must answer before the app's first storage call. It lives as
        // long as this process, as the platform's does.
        LocalIdentityEndpoint identity = localIdentity == null || localIdentity.isBlank() ? null
                : LocalIdentityEndpoint.start(System::getenv, localIdentity.trim());
        LocalHost host;
        try {
            host = start(options.stagedApp(), settings, options.port());
        } catch (Throwable e) {
            if (identity != null) {
                identity.close(); // its server thread would keep a failed start's process alive
            }
            throw e;
        }
        // Ctrl+C: ./run stops Azurite only after this, and promises a stop within 10 s.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> host.stop(SHUTDOWN_GRACE), "local-host-stop"));
        String key = settings.getOrDefault(FUNCTION_KEY_SETTING, "");
        String keyHeader = key.isEmpty() ? "" : " -H 'x-functions-key: " + key + "'";
        System.out.printf("Sequencer local host ready on %s in %d ms (Ctrl+C to stop). Try: curl%s %s/api/health%n",
                host.baseUrl(), (System.nanoTime() - started) / 1_000_000, keyHeader, host.baseUrl());
        if (options.demo()) {
            System.exit(runDemo(host, settings));
        }
        Thread.currentThread().join();
    }

    /** The demo's exit status: 1 when it failed in any way, so that ./run demo never serves on after a failure. */
    private static int runDemo(LocalHost host, Map<String, String> settings) {
        int exit;
        try {
            exit = new Demo(host, settings).run();
        } catch (Exception | AssertionError failure) {
            System.out.println("Demo FAILED: " + failure);
            exit = 1;
        }
        host.stop(SHUTDOWN_GRACE);
        return exit;
    }

    record LocalHostOptions(Path projectDir, Path stagedApp, int port, boolean demo) {
        static LocalHostOptions parse(String[] args) {
            Path project = Path.of(".");
            Path app = null;
            int port = 7071;
            boolean demo = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--project" -> project = Path.of(args[++i]);
                    case "--app" -> app = Path.of(args[++i]);
                    case "--port" -> port = Integer.parseInt(args[++i]);
                    case "--demo" -> demo = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; usage: LocalHost [--project DIR] [--app STAGED_APP_DIR] [--port 7071] [--demo]");
                }
            }
            return new LocalHostOptions(project, app != null ? app : project.resolve("target/azure-functions/sequencer"), port, demo);
        }
    }
}
