package io.sequencer.functions;

import io.sequencer.adapters.azure.StorageHttp;
import io.sequencer.channel.ChannelTypes;
import io.sequencer.channel.SettingReader;
import io.sequencer.domain.account.AppSettingPolicy;
import io.sequencer.domain.address.DestinationPolicy;
import io.sequencer.domain.timer.TimerDelay;
import io.sequencer.domain.timer.TimerShard;
import io.sequencer.engine.send.SendLimits;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The app's settings, parsed and checked once when the app starts: a setting that is missing where it is required,
 * or unusable, stops start-up with a message naming it. docs/CONFIGURATION.md describes each of {@link #NAMES}, the
 * only settings read here (a test holds the two together); the secrets accounts name under their prefix are read
 * from {@link #appSettings} when a send needs them.
 *
 * @param appSettings the app settings as given: the storage connections (read as the Functions host reads its
 *     own) and the secrets accounts name under their {@link #accountSettings} prefix
 * @param fixedSettings the same settings, limited to {@link #NAMES}: what the parsers of the storage connections
 *     and the key wrap read at start-up, so that a setting read but not listed (and so not documented) fails at once
 */
public record Settings(Function<String, String> appSettings, AppSettingPolicy accountSettings, Duration horizon,
                       int tickShards, SendLimits sendLimits, DestinationPolicy destinations, Optional<byte[]> adminKey,
                       ReportLinks reportLinks,
                       Function<String, String> fixedSettings) {
    /** The storage connection of the app and its queue triggers (or its {@code __accountName} family). */
    static final String STORAGE = "AzureWebJobsStorage";
    /** Optional: a storage connection of its own for the parking queues, keeping their I/O apart. */
    public static final String PARKING_STORAGE = "SEQUENCER_PARKING_STORAGE";
    /** How far ahead the triggered queue may hold timers (seconds); later ones are parked. */
    public static final String HORIZON = "SEQUENCER_TIMER_HORIZON_SECONDS";
    /** How many triggered timer queues new ticks are spread over (1 to {@link TimerShard#MAX}). */
    public static final String TICK_SHARDS = "SEQUENCER_TICK_SHARDS";
    /** {@code true} lets tenants' URLs lead to loopback addresses, for local runs and tests; never deployed. */
    public static final String ALLOW_LOOPBACK = "SEQUENCER_ALLOW_LOOPBACK_DESTINATIONS";
    /** Set by App Service on every instance of a deployed app, never by a local host: on Azure, https only. */
    static final String AZURE_INSTANCE = "WEBSITE_INSTANCE_ID";
    /** The most instances that may send at once: the app's scale-out limit (maximumInstanceCount in infra/). */
    public static final String MAX_INSTANCES = "SEQUENCER_MAX_INSTANCES";
    public static final String AGENT_HOLD = "SEQUENCER_AGENT_HOLD_MINUTES";
    /** Sends in flight to one destination per instance (the bulkhead); keep it below host.json's newBatchThreshold. */
    public static final String SENDS_PER_DESTINATION = "SEQUENCER_SENDS_PER_DESTINATION";
    public static final String CIRCUIT_OPEN = "SEQUENCER_CIRCUIT_OPEN_SECONDS";
    static final Duration DEFAULT_HORIZON = Duration.ofMinutes(15);
    /**
     * One: an Azure queue's target (about 2,000 messages/s) carries about 660 steps/s (3 operations each), and each
     * further shard adds its trigger's polling. With that target imposed on the emulator, two shards drained a burst
     * twice as fast as one; without it the emulator, one process for every queue, gave two less than one
     * (BENCHMARKS.md, "Timer shards").
     */
    static final int DEFAULT_TICK_SHARDS = 1;
    /** The suffixes of an identity-based connection, as the Functions host reads them. */
    private static final List<String> CONNECTION_PARTS = List.of("", "__accountName", "__queueServiceUri",
            "__tableServiceUri", "__credential", "__clientId");
    /** The parts any one of which says where the account is, as the Functions host finds a connection. */
    private static final List<String> CONNECTION_LOCATIONS = List.of("", "__accountName", "__queueServiceUri",
            "__tableServiceUri");

    /** Every setting this record reads, the registered channel types' own among them. */
    public static final List<String> NAMES = Stream.of(
            CONNECTION_PARTS.stream().map(part -> STORAGE + part),
            CONNECTION_PARTS.stream().map(part -> PARKING_STORAGE + part),
            ChannelTypes.ALL.settingNames().stream(),
            Stream.of(StorageHttp.TRUSTED_CERTIFICATE, HORIZON, TICK_SHARDS, ALLOW_LOOPBACK, AZURE_INSTANCE, MAX_INSTANCES,
                    AGENT_HOLD, SENDS_PER_DESTINATION, CIRCUIT_OPEN, Access.ADMIN_KEY_SETTING,
                    SecretKeySettings.KEY_VAULT_KEY_SETTING, SecretKeySettings.KEY_VAULT_CLIENT_ID_SETTING,
                    SecretKeySettings.LOCAL_KEY_FILE_SETTING, ReportLinks.KEY_SETTING, ReportLinks.PREVIOUS_KEY_SETTING,
                    ReportLinks.PUBLIC_BASE_URL_SETTING, AppSettingPolicy.TEMPLATE_SETTING))
            .flatMap(s -> s).toList();

    /** The settings of this process: the Functions host gives them as environment variables. */
    public static Settings fromEnvironment() {
        return parse(System::getenv);
    }

    /**
     * Parses and checks {@code appSettings} (null when a setting is not set).
     * @throws IllegalStateException naming the setting that is missing or unusable
     */
    public static Settings parse(Function<String, String> appSettings) {
        Function<String, String> fixed = name -> {
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException(name + " is not one of Settings.NAMES");
            }
            return appSettings.apply(name);
        };
        if (CONNECTION_LOCATIONS.stream().allMatch(part -> blank(fixed.apply(STORAGE + part)))) {
            throw new IllegalStateException("storage is not configured: set " + STORAGE
                    + " to a connection string, or " + STORAGE + "__accountName (or its __queueServiceUri and"
                    + " __tableServiceUri) for a managed identity");
        }
        SendLimits limits = new SendLimits(ChannelTypes.ALL.ratesPerDestination(new SettingReader(fixed)),
                (int) number(fixed, MAX_INSTANCES, 100, 1, 10_000),
                (int) number(fixed, SENDS_PER_DESTINATION, SendLimits.DEFAULTS.sendsPerDestination(), 1, 64),
                Duration.ofSeconds(number(fixed, CIRCUIT_OPEN, 30, 1, 3600)),
                Duration.ofMinutes(number(fixed, AGENT_HOLD, 30, 0, 7 * 24 * 60)));
        return new Settings(appSettings, AppSettingPolicy.fromSettings(fixed),
                Duration.ofSeconds(number(fixed, HORIZON, DEFAULT_HORIZON.getSeconds(), 0,
                        TimerDelay.MAX_VISIBILITY.getSeconds())),
                (int) number(fixed, TICK_SHARDS, DEFAULT_TICK_SHARDS, 1, TimerShard.MAX),
                limits, destinationPolicy(fixed),
                SecretSetting.read(fixed, Access.ADMIN_KEY_SETTING, "no request is admitted as admin"),
                ReportLinks.fromSettings(fixed), fixed);
    }

    static DestinationPolicy destinationPolicy(Function<String, String> settings) {
        String loopback = settings.apply(ALLOW_LOOPBACK);
        boolean allowLoopback = !blank(loopback) && switch (loopback.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalStateException(ALLOW_LOOPBACK + " must be true or false, was " + loopback);
        };
        return new DestinationPolicy(allowLoopback, !blank(settings.apply(AZURE_INSTANCE)));
    }

    /** A whole-number setting within bounds; missing means {@code fallback}, anything else unusable stops start-up. */
    private static long number(Function<String, String> settings, String name, long fallback, long min, long max) {
        return new SettingReader(settings).number(name, fallback, min, max);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
