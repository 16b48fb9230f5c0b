package io.sequencer.functions;

import com.azure.storage.queue.QueueClient;
import io.sequencer.adapters.azure.QueueBroadcastQueue;
import io.sequencer.adapters.azure.QueueNoticeQueue;
import io.sequencer.adapters.azure.QueueParkingLot;
import io.sequencer.adapters.azure.QueuePoisonQueue;
import io.sequencer.adapters.azure.QueueTimerQueue;
import io.sequencer.adapters.azure.StorageClients;
import io.sequencer.adapters.azure.TableAccountKeyStore;
import io.sequencer.adapters.azure.TableBroadcastStore;
import io.sequencer.adapters.azure.TableEnrollmentStore;
import io.sequencer.adapters.azure.TableEventLog;
import io.sequencer.adapters.azure.TableIdempotencyStore;
import io.sequencer.adapters.azure.TableNotificationSettingsStore;
import io.sequencer.adapters.azure.TablePoisonedTicks;
import io.sequencer.adapters.azure.TableSecretStore;
import io.sequencer.adapters.azure.TableSequenceStore;
import io.sequencer.adapters.azure.TableSubscriberStore;
import io.sequencer.adapters.channel.ChannelRouter;
import io.sequencer.adapters.channel.HttpClients;
import io.sequencer.adapters.channel.MessengerChannel;
import io.sequencer.adapters.channel.SendGridChannel;
import io.sequencer.adapters.channel.NotificationWebhook;
import io.sequencer.adapters.channel.SystemHostResolver;
import io.sequencer.adapters.channel.WebhookChannel;
import io.sequencer.domain.AppSettingPolicy;
import io.sequencer.domain.ChannelConfig;
import io.sequencer.domain.DestinationPolicy;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.RetryBackoff;
import io.sequencer.domain.TimerDelay;
import io.sequencer.engine.AddressGuard;
import io.sequencer.engine.AccountSecrets;
import io.sequencer.engine.AccountKeys;
import io.sequencer.engine.BroadcastFanOut;
import io.sequencer.engine.BroadcastSender;
import io.sequencer.engine.Broadcasts;
import io.sequencer.engine.DestinationGuard;
import io.sequencer.engine.Enrollments;
import io.sequencer.engine.Events;
import io.sequencer.engine.HorizonTimers;
import io.sequencer.engine.IdempotentRequests;
import io.sequencer.engine.LifecycleNotices;
import io.sequencer.engine.NoticeDispatcher;
import io.sequencer.engine.Notifications;
import io.sequencer.engine.ParkingLot;
import io.sequencer.engine.PoisonReplay;
import io.sequencer.engine.PoisonSweeper;
import io.sequencer.engine.PoisonedTicks;
import io.sequencer.engine.Reports;
import io.sequencer.engine.SequenceCache;
import io.sequencer.engine.SendBudget;
import io.sequencer.engine.SecretReferences;
import io.sequencer.engine.SendGate;
import io.sequencer.engine.SequenceCatalog;
import io.sequencer.engine.Subscribers;
import io.sequencer.engine.TickHandler;
import io.sequencer.engine.Timeline;
import io.sequencer.engine.TimerPump;
import io.sequencer.engine.TimerTokens;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import okhttp3.OkHttpClient;

/**
 * The composition root: builds the object graph once per worker from app settings, without a DI
 * framework, so a cold start costs only the clients it really needs.
 */
public final class FunctionApp {
    /** The timer queue; the tick function's trigger names the same queue. */
    public static final String TICK_QUEUE = "sequencer-ticks";
    /** Far-future timers; no function is triggered by it, so the scale controller does not count them. */
    public static final String PARKING_QUEUE = "sequencer-parked";
    /** Where the Functions host moves a tick that failed {@link #MAX_DEQUEUE_COUNT} times; drained by the sweeper. */
    public static final String TICK_POISON_QUEUE = TICK_QUEUE + "-poison";
    /** Where the pump moves a parked message it cannot read; drained by the sweeper. */
    public static final String PARKED_POISON_QUEUE = PARKING_QUEUE + "-poison";
    /**
     * The tick trigger's attempts before the host poisons a message. Must equal {@code maxDequeueCount} in
     * host.json ({@code extensions.queues}), which the host obeys; StagedAppIT fails when the two differ.
     */
    public static final int MAX_DEQUEUE_COUNT = 5;
    /**
     * Optional: a storage connection (string, or {@code __accountName} for an identity) for the parking queue,
     * to keep its I/O apart from the triggered queue's; by default it lives beside it.
     */
    public static final String PARKING_STORAGE_SETTING = "SEQUENCER_PARKING_STORAGE";
    /** How far ahead the triggered queue may hold timers (seconds); later ones are parked. */
    public static final String HORIZON_SETTING = "SEQUENCER_TIMER_HORIZON_SECONDS";
    static final Duration DEFAULT_HORIZON = Duration.ofMinutes(15);
    /** Workers moving parked timers side by side within one pump run. */
    static final int PUMP_PARALLELISM = 8;
    public static final String SEQUENCES_TABLE = "sequences";
    public static final String ENROLLMENTS_TABLE = "enrollments";
    public static final String SUBSCRIBERS_TABLE = "subscribers";
    public static final String NOTIFICATIONS_TABLE = "notifications";
    /** Reported events, per subscriber and newest first, for subscriber timelines. */
    public static final String EVENTS_TABLE = "events";
    /** Broadcasts, their listed subscribers, recipients and counts. */
    public static final String BROADCASTS_TABLE = "broadcasts";
    /** Idempotency keys of API writes and the answers given to them, per account. */
    public static final String IDEMPOTENCY_TABLE = "idempotency";
    /** Each account's secrets, sealed, and its data key, wrapped (infra/main.bicep names it too). */
    public static final String SECRETS_TABLE = "secrets";
    /** Account API keys, by prefix: the account each opens and the key's hash (never the key). */
    public static final String API_KEYS_TABLE = "apikeys";
    /** Fan-out pages of broadcasts; the fan-out function's trigger names the same queue. */
    public static final String BROADCAST_PAGE_QUEUE = "sequencer-broadcast-pages";
    /** Broadcast sends due; the send function's trigger names the same queue. */
    public static final String BROADCAST_SEND_QUEUE = "sequencer-broadcast-sends";
    /** Broadcast sends due beyond the horizon; nothing is triggered by it, the pump moves them across. */
    public static final String BROADCAST_PARKING_QUEUE = "sequencer-broadcast-parked";
    /** Signals of enrollments with lifecycle events to deliver; drained by the notify timer, never triggered. */
    public static final String NOTICE_QUEUE = "sequencer-notices";

    private static volatile FunctionApp instance;

    private final Function<String, String> settings;
    private final AppSettingPolicy settingPolicy;
    private final StorageClients storage;
    private final SequenceCatalog sequences;
    private final Enrollments enrollments;
    private final Subscribers subscribers;
    private final Events events;
    private final Timeline timeline;
    private final Notifications notifications;
    private final NoticeDispatcher noticeDispatcher;
    private final TickHandler ticks;
    private final TimerPump pump;
    private final ParkingLot parking;
    private final Duration horizon;
    private final Clock clock;
    private final QueueClient tickQueue;
    private final PoisonedTicks poisonedTicks;
    private final PoisonSweeper poisonSweeper;
    private final PoisonReplay poisonReplay;
    private final Reports reports;
    private final Broadcasts broadcasts;
    private final BroadcastFanOut broadcastFanOut;
    private final BroadcastSender broadcastSender;
    private final QueueBroadcastQueue broadcastQueue;
    private final SendGate gate;
    private final IdempotentRequests idempotentRequests;
    private final AddressGuard addressGuard;
    private final AccountSecrets secrets;
    private final ReportLinks reportLinks;
    private final AccountKeys accountKeys;
    private final Access access;

    private FunctionApp(Function<String, String> settings) {
        this.settings = settings;
        settingPolicy = AppSettingPolicy.fromSettings(settings);
        clock = Clock.systemUTC();
        horizon = horizon(settings);
        storage = StorageClients.fromSettings(settings);
        storage.ensureExists(TICK_QUEUE, SEQUENCES_TABLE, ENROLLMENTS_TABLE, SUBSCRIBERS_TABLE, NOTIFICATIONS_TABLE,
                EVENTS_TABLE);
        storage.ensureExists(NOTICE_QUEUE);
        storage.ensureExists(BROADCAST_PAGE_QUEUE, BROADCASTS_TABLE);
        storage.ensureExists(BROADCAST_SEND_QUEUE, IDEMPOTENCY_TABLE, API_KEYS_TABLE);
        storage.ensureExists(NOTICE_QUEUE, SECRETS_TABLE);
        // The sweeper reads it every 30 s; created up front so that an empty one is not a logged 404 each time.
        storage.ensureExists(TICK_POISON_QUEUE);
        StorageClients parkingStorage = StorageClients.fromSettings(settings, PARKING_STORAGE_SETTING).orElse(storage);
        parkingStorage.ensureExists(PARKING_QUEUE);
        // The pump moves unreadable parked messages here, and a send to a missing queue fails.
        parkingStorage.ensureExists(PARKED_POISON_QUEUE);
        parkingStorage.ensureExists(BROADCAST_PARKING_QUEUE);
        parkingStorage.ensureExists(BROADCAST_PARKING_QUEUE + "-poison");
        // Every step and enroll reads its sequence: served from memory for a second (writes here drop it at once).
        var sequenceStore = new SequenceCache(new TableSequenceStore(storage.table(SEQUENCES_TABLE)),
                SequenceCache.DEFAULT_TTL, clock);
        var enrollmentStore = new TableEnrollmentStore(storage.table(ENROLLMENTS_TABLE));
        var subscriberStore = new TableSubscriberStore(storage.table(SUBSCRIBERS_TABLE));
        var eventLog = new TableEventLog(storage.table(EVENTS_TABLE));
        tickQueue = storage.queue(TICK_QUEUE);
        var triggered = new QueueTimerQueue(tickQueue, clock);
        parking = new QueueParkingLot(parkingStorage.queue(PARKING_QUEUE), parkingStorage.queue(PARKED_POISON_QUEUE));
        var timers = new HorizonTimers(triggered, parking, horizon, clock);
        pump = new TimerPump(parking, triggered, horizon, clock, PUMP_PARALLELISM);
        addressGuard = new AddressGuard(destinationPolicy(settings), new SystemHostResolver());
        OkHttpClient http = HttpClients.shared(addressGuard);
        var broadcastStore = new TableBroadcastStore(storage.table(BROADCASTS_TABLE), clock);
        var settingsStore = new TableNotificationSettingsStore(storage.table(NOTIFICATIONS_TABLE));
        secrets = new AccountSecrets(new TableSecretStore(storage.table(SECRETS_TABLE)),
                SecretKeySettings.keyWrap(settings, clock),
                new SecretReferences(sequenceStore, broadcastStore, settingsStore, clock), clock);
        var channel = new ChannelRouter(new WebhookChannel(http, settings, secrets, clock),
                new MessengerChannel(http, settings, secrets,
                        setting(settings, GRAPH_BASE_SETTING, MessengerChannel.DEFAULT_GRAPH_BASE), clock),
                new SendGridChannel(http, settings, secrets,
                        setting(settings, SENDGRID_BASE_SETTING, SendGridChannel.DEFAULT_BASE_URL), clock));
        TimerTokens tokens = TimerTokens.random();
        sequences = new SequenceCatalog(sequenceStore, clock);
        var noticeQueue = new QueueNoticeQueue(storage.queue(NOTICE_QUEUE));
        var notices = new LifecycleNotices(settingsStore, noticeQueue, clock);
        enrollments = new Enrollments(sequenceStore, enrollmentStore, subscriberStore, timers, tokens, notices, clock);
        subscribers = new Subscribers(subscriberStore, sequenceStore, enrollments, clock);
        events = new Events(sequenceStore, enrollmentStore, subscriberStore, enrollments, subscribers, timers, tokens,
                notices, eventLog, clock);
        // One gate for steps and broadcasts: they share each destination's send budget, bulkhead and circuit.
        gate = sendGate(settings, clock);
        timeline = new Timeline(subscriberStore, enrollmentStore, eventLog, gate.guard().deferredSteps());
        ticks = new TickHandler(sequenceStore, enrollmentStore, subscriberStore, enrollments, timers, channel, tokens,
                RetryBackoff.DEFAULT, notices, gate, clock);
        notifications = new Notifications(settingsStore, notices, clock);
        noticeDispatcher = new NoticeDispatcher(noticeQueue, enrollmentStore, settingsStore,
                new NotificationWebhook(http, settings, secrets, clock), clock);
        // Beside the enrollments, in their sequence's partition (rows after every subscriber's).
        poisonedTicks = new TablePoisonedTicks(storage.table(ENROLLMENTS_TABLE));
        // Both poison queues are read raw: the host moves messages that are not base64 there too.
        poisonSweeper = new PoisonSweeper(List.of(
                new PoisonSweeper.Source(new QueuePoisonQueue(storage.rawQueue(TICK_POISON_QUEUE)),
                        PoisonSweeper.TICK_FUNCTION_DID_NOT_FINISH),
                new PoisonSweeper.Source(new QueuePoisonQueue(parkingStorage.rawQueue(PARKED_POISON_QUEUE)),
                        PoisonSweeper.PUMP_COULD_NOT_READ)),
                poisonedTicks, clock);
        poisonReplay = new PoisonReplay(sequenceStore, poisonedTicks, timers, clock);
        reports = new Reports(sequenceStore, enrollmentStore, poisonedTicks, clock);
        broadcastQueue = new QueueBroadcastQueue(storage.queue(BROADCAST_PAGE_QUEUE), storage.queue(BROADCAST_SEND_QUEUE),
                parkingStorage.queue(BROADCAST_PARKING_QUEUE), parkingStorage.queue(BROADCAST_PARKING_QUEUE + "-poison"),
                horizon, clock);
        broadcasts = new Broadcasts(broadcastStore, broadcastQueue, clock);
        broadcastFanOut = new BroadcastFanOut(broadcastStore, subscriberStore, subscribers, broadcastQueue, clock);
        idempotentRequests = new IdempotentRequests(new TableIdempotencyStore(storage.table(IDEMPOTENCY_TABLE)), clock);
        reportLinks = ReportLinks.fromSettings(settings);
        accountKeys = new AccountKeys(new TableAccountKeyStore(storage.table(API_KEYS_TABLE)), new SecureRandom(),
                clock);
        access = Access.fromSettings(settings, accountKeys);
        broadcastSender = new BroadcastSender(broadcastStore, subscriberStore, broadcastQueue, channel, gate,
                RetryBackoff.DEFAULT, tokens, clock);
    }

    /** Where the Graph API is (tests point it at a local fake); default {@code https://graph.facebook.com}. */
    public static final String GRAPH_BASE_SETTING = "SEQUENCER_GRAPH_BASE_URL";
    /** Where SendGrid's API is (tests point it at a local fake); default {@code https://api.sendgrid.com}. */
    public static final String SENDGRID_BASE_SETTING = "SEQUENCER_SENDGRID_BASE_URL";

    private static String setting(Function<String, String> settings, String name, String fallback) {
        String value = settings.apply(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /**
     * {@code true} lets tenants' URLs (and the API base URLs) lead to loopback addresses, for local runs and tests
     * whose receivers listen on 127.0.0.1; off by default and never deployed. Nothing else private is ever allowed.
     */
    public static final String ALLOW_LOOPBACK_SETTING = "SEQUENCER_ALLOW_LOOPBACK_DESTINATIONS";
    /** Set by App Service on every instance of a deployed app, never by a local host: on Azure, https only. */
    static final String AZURE_INSTANCE_SETTING = "WEBSITE_INSTANCE_ID";

    static DestinationPolicy destinationPolicy(Function<String, String> settings) {
        String loopback = settings.apply(ALLOW_LOOPBACK_SETTING);
        boolean allowLoopback = loopback != null && !loopback.isBlank() && switch (loopback.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalStateException(ALLOW_LOOPBACK_SETTING + " must be true or false, was " + loopback);
        };
        String instance = settings.apply(AZURE_INSTANCE_SETTING);
        return new DestinationPolicy(allowLoopback, instance != null && !instance.isBlank());
    }

    /** Messenger calls per second one page may receive, all instances together. */
    public static final String MESSENGER_RATE_SETTING = "SEQUENCER_MESSENGER_RATE_PER_PAGE";
    /** SendGrid requests per second one sender may make, all instances together. */
    public static final String SENDGRID_RATE_SETTING = "SEQUENCER_SENDGRID_RATE_PER_SENDER";
    /** The most instances that may send at once: the app's scale-out limit (maximumInstanceCount in infra/). */
    public static final String MAX_INSTANCES_SETTING = "SEQUENCER_MAX_INSTANCES";
    /** Minutes Messenger steps wait after a human conversation ended. */
    public static final String AGENT_HOLD_SETTING = "SEQUENCER_AGENT_HOLD_MINUTES";

    /** Sends in flight to one destination per instance (the bulkhead); keep it below host.json's newBatchThreshold. */
    public static final String SENDS_PER_DESTINATION_SETTING = "SEQUENCER_SENDS_PER_DESTINATION";
    /** Seconds a destination's circuit stays open before a probe send may try it again. */
    public static final String CIRCUIT_OPEN_SETTING = "SEQUENCER_CIRCUIT_OPEN_SECONDS";

    static SendGate sendGate(Function<String, String> settings, Clock clock) {
        SendBudget budget = new SendBudget(number(settings, MESSENGER_RATE_SETTING, 300, 1, 100_000),
                number(settings, SENDGRID_RATE_SETTING, 100, 1, 100_000),
                (int) number(settings, MAX_INSTANCES_SETTING, 100, 1, 10_000), clock);
        DestinationGuard guard = new DestinationGuard(
                (int) number(settings, SENDS_PER_DESTINATION_SETTING, DestinationGuard.DEFAULT_SENDS_PER_DESTINATION, 1, 64),
                Duration.ofSeconds(number(settings, CIRCUIT_OPEN_SETTING, 30, 1, 3600)), clock);
        return new SendGate(Duration.ofMinutes((long) number(settings, AGENT_HOLD_SETTING, 30, 0, 7 * 24 * 60)), budget,
                guard);
    }

    /** A whole-number setting within bounds; missing means {@code fallback}, anything else unusable stops start-up. */
    private static long number(Function<String, String> settings, String name, long fallback, long min, long max) {
        String value = settings.apply(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed < min || parsed > max) {
                throw new IllegalStateException(name + " must be " + min + " to " + max + ", was " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be a whole number, was " + value);
        }
    }

    /** The horizon from its setting; missing means the default, an unusable value stops start-up. */
    static Duration horizon(Function<String, String> settings) {
        return Duration.ofSeconds(number(settings, HORIZON_SETTING, DEFAULT_HORIZON.getSeconds(), 0,
                TimerDelay.MAX_VISIBILITY.getSeconds()));
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

    /**
     * Refuses a setting name {@code account} may not use ({@link AppSettingPolicy}), or one not configured: it would
     * fail every request it signs. Existence is only looked up for a name under the account's own prefix, so no
     * account learns which other settings exist.
     * @throws Invalid naming {@code field}
     */
    void requireSettingDefined(String account, String field, Optional<String> name) {
        name.ifPresent(n -> {
            settingPolicy.problemWith(account, n).ifPresent(problem -> {
                throw new Invalid(field, problem);
            });
            String value = settings.apply(n);
            if (value == null || value.isEmpty()) {
                throw new Invalid(field, "app setting " + n + " is not defined");
            }
        });
    }

    /** A secret (signing secret, page token, API key) named but not configured would fail every send: refuse it. */
    void requireChannelSettings(String account, ChannelConfig channel) {
        if (channel instanceof ChannelConfig.Webhook webhook) {
            requireSettingDefined(account, "channel.secretSetting", webhook.secretSetting());
        } else if (channel instanceof ChannelConfig.Messenger messenger) {
            requireSettingDefined(account, "channel.pageTokenSetting", messenger.pageTokenSetting());
        } else if (channel instanceof ChannelConfig.SendGrid sendGrid) {
            requireSettingDefined(account, "channel.apiKeySetting", sendGrid.apiKeySetting());
        }
    }

    /** Where tenants' URLs may lead; checked when they are defined and again when a send connects. */
    public AddressGuard addressGuard() {
        return addressGuard;
    }

    public SequenceCatalog sequences() {
        return sequences;
    }

    public Enrollments enrollments() {
        return enrollments;
    }

    public Subscribers subscribers() {
        return subscribers;
    }

    public Events events() {
        return events;
    }

    public Timeline timeline() {
        return timeline;
    }

    /** The accounts' own secrets. */
    public AccountSecrets secrets() {
        return secrets;
    }

    /**
     * Refuses a channel or notification that names a secret its account does not have: it would fail every send.
     * The answer is the same whether or not another account has a secret of that name.
     * @throws Invalid naming {@code field}
     */
    void requireAccountSecret(String account, String field, Optional<String> name) {
        name.ifPresent(n -> {
            if (!secrets.exists(account, n)) {
                throw new Invalid(field, "names no secret of this account; create it with PUT /api/accounts/"
                        + account + "/secrets/" + n);
            }
        });
    }

    /** {@link #requireAccountSecret} for the secret a channel names, at the field it is named by. */
    void requireChannelSecret(String account, ChannelConfig channel) {
        String field = channel instanceof ChannelConfig.Webhook ? "channel.secret"
                : channel instanceof ChannelConfig.Messenger ? "channel.pageToken" : "channel.apiKey";
        requireAccountSecret(account, field, channel.accountSecret());
    }

    public Notifications notifications() {
        return notifications;
    }

    public NoticeDispatcher noticeDispatcher() {
        return noticeDispatcher;
    }

    /** The bulkhead and circuits of this instance's sends, by destination. */
    public DestinationGuard destinations() {
        return gate.guard();
    }

    public TickHandler ticks() {
        return ticks;
    }

    public StorageClients storage() {
        return storage;
    }

    public TimerPump pump() {
        return pump;
    }

    public PoisonedTicks poisonedTicks() {
        return poisonedTicks;
    }

    public PoisonSweeper poisonSweeper() {
        return poisonSweeper;
    }

    public PoisonReplay poisonReplay() {
        return poisonReplay;
    }

    public Reports reports() {
        return reports;
    }

    public AccountKeys accountKeys() {
        return accountKeys;
    }

    /** Authenticates every HTTP request (admin key or account key); fails closed without an admin key. */
    Access access() {
        return access;
    }

    /** Issues and opens report links; fails closed when its key is not configured. */
    ReportLinks reportLinks() {
        return reportLinks;
    }

    public IdempotentRequests idempotentRequests() {
        return idempotentRequests;
    }

    public Broadcasts broadcasts() {
        return broadcasts;
    }

    public BroadcastFanOut broadcastFanOut() {
        return broadcastFanOut;
    }

    public BroadcastSender broadcastSender() {
        return broadcastSender;
    }

    public QueueBroadcastQueue broadcastQueue() {
        return broadcastQueue;
    }

    public Clock clock() {
        return clock;
    }

    /** Timers waiting in the parking queue (approximate). */
    public long parkedTimers() {
        return parking.approximateCount();
    }

    /** Messages in the triggered tick queue, hidden ones included (approximate). */
    public long triggeredTimers() {
        return tickQueue.getProperties().getApproximateMessagesCount();
    }

    /** Timer metrics: parked and triggered timers (approximate counts) and how late the pump is. */
    public TimerMetrics timerMetrics() {
        return new TimerMetrics(parkedTimers(), triggeredTimers(), horizon,
                TimerPump.lagOf(parking.peekVisible(32), clock.instant()));
    }

    public record TimerMetrics(long parked, long triggered, Duration horizon, Duration pumpLag) {}
}
