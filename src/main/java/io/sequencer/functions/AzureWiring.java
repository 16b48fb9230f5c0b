package io.sequencer.functions;

import static io.sequencer.functions.StorageNames.*;

import com.azure.storage.queue.QueueClient;
import io.sequencer.adapters.azure.QueueBroadcastQueue;
import io.sequencer.adapters.azure.QueueImportQueue;
import io.sequencer.adapters.azure.QueueJobQueue;
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
import io.sequencer.adapters.azure.TableImportStore;
import io.sequencer.adapters.azure.TableJobStore;
import io.sequencer.adapters.azure.TableCapStore;
import io.sequencer.adapters.azure.TableNotificationSettingsStore;
import io.sequencer.adapters.azure.TablePoisonedTicks;
import io.sequencer.adapters.azure.TableSecretStore;
import io.sequencer.adapters.azure.TableSequenceStore;
import io.sequencer.adapters.azure.TableSubscriberStore;
import io.sequencer.adapters.channel.NotificationWebhook;
import io.sequencer.adapters.channel.SecretSettings;
import io.sequencer.adapters.json.stored.StoredChannelForms;
import io.sequencer.channel.ChannelTypes;
import io.sequencer.channel.SenderKit;
import io.sequencer.channel.SettingReader;
import io.sequencer.domain.timer.TimerShard;
import io.sequencer.engine.Sequencer;
import io.sequencer.engine.poison.PoisonSweeper;
import io.sequencer.engine.sequence.SequenceCache;
import io.sequencer.engine.timer.ShardedTimers;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;

/**
 * The Azure side of the assembly: the storage resources the app needs (created when missing), the table and queue
 * adapters over them and the channels, handed to the engine's builder as its ports.
 */
record AzureWiring(StorageClients storage, Sequencer engine, QueueBroadcastQueue broadcastQueue,
                   TimerMetrics.Queries timerMetrics) {

    static AzureWiring of(Settings settings, OkHttpClient http, Clock clock) {
        StorageClients storage = StorageClients.fromSettings(settings.fixedSettings());
        storage.ensureExists(TICK_QUEUE, SEQUENCES_TABLE, ENROLLMENTS_TABLE, SUBSCRIBERS_TABLE, NOTIFICATIONS_TABLE,
                EVENTS_TABLE);
        storage.ensureExists(BROADCAST_PAGE_QUEUE, BROADCASTS_TABLE);
        storage.ensureExists(BROADCAST_SEND_QUEUE, IDEMPOTENCY_TABLE, API_KEYS_TABLE);
        storage.ensureExists(NOTICE_QUEUE, SECRETS_TABLE, CAPS_TABLE);
        storage.ensureExists(IMPORT_QUEUE, IMPORTS_TABLE);
        storage.ensureExists(JOB_PAGE_QUEUE, JOBS_TABLE);
        // Every shard's queue, those beyond the setting too: their triggers poll them. The sweeper reads each poison
        // queue every 30 s; created up front so that an empty one is not a logged 404 each time.
        for (int shard = 0; shard < TimerShard.MAX; shard++) {
            if (shard > 0) {
                storage.ensureExists(tickQueue(shard)); // shard 0's was made above
            }
            storage.ensureExists(tickPoisonQueue(shard));
        }
        StorageClients parkingStorage = StorageClients.fromSettings(settings.fixedSettings(), Settings.PARKING_STORAGE)
                .orElse(storage);
        parkingStorage.ensureExists(PARKING_QUEUE);
        // The pump moves unreadable parked messages here, and a send to a missing queue fails.
        parkingStorage.ensureExists(PARKED_POISON_QUEUE);
        parkingStorage.ensureExists(BROADCAST_PARKING_QUEUE);
        parkingStorage.ensureExists(BROADCAST_PARKED_POISON_QUEUE);
        // Every step and enroll reads its sequence: served from memory for a second (writes here drop it at once).
        // Sequences and broadcasts keep their channel in its type's stored form.
        StoredChannelForms storedChannels = ChannelTypes.ALL.storedForms();
        var sequenceStore = new SequenceCache(new TableSequenceStore(storage.table(SEQUENCES_TABLE), storedChannels),
                SequenceCache.DEFAULT_TTL, clock);
        // New ticks go to the first tickShards() queues, each enrollment's always to the same one.
        Map<String, QueueClient> tickQueues = new LinkedHashMap<>();
        List<QueueTimerQueue> shards = new ArrayList<>();
        for (int shard = 0; shard < TimerShard.MAX; shard++) {
            QueueClient queue = storage.queue(tickQueue(shard));
            tickQueues.put(tickQueue(shard), queue);
            if (shard < settings.tickShards()) {
                shards.add(new QueueTimerQueue(queue, clock));
            }
        }
        var triggered = new ShardedTimers(shards);
        var parking = new QueueParkingLot(parkingStorage.queue(PARKING_QUEUE), parkingStorage.queue(PARKED_POISON_QUEUE));
        var broadcastStore = new TableBroadcastStore(storage.table(BROADCASTS_TABLE), clock, storedChannels);
        var broadcastQueue = new QueueBroadcastQueue(storage.queue(BROADCAST_PAGE_QUEUE),
                storage.queue(BROADCAST_SEND_QUEUE), parkingStorage.queue(BROADCAST_PARKING_QUEUE),
                parkingStorage.queue(BROADCAST_PARKED_POISON_QUEUE), settings.horizon(), clock);
        // Beside the enrollments, in their sequence's partition (rows after every subscriber's).
        var poisonedTicks = new TablePoisonedTicks(storage.table(ENROLLMENTS_TABLE));
        // One reading of the account-setting template for every channel.
        var secretSettings = new SecretSettings(settings.appSettings(), settings.accountSettings());
        Sequencer engine = Sequencer.builder()
                .clock(clock)
                .channelTypes(ChannelTypes.ALL.rules())
                .stores(sequenceStore, new TableEnrollmentStore(storage.table(ENROLLMENTS_TABLE)),
                        new TableSubscriberStore(storage.table(SUBSCRIBERS_TABLE)))
                .eventLog(new TableEventLog(storage.table(EVENTS_TABLE)))
                .timers(triggered)
                .parking(parking, settings.horizon())
                .limits(settings.sendLimits())
                .caps(new TableCapStore(storage.table(CAPS_TABLE)))
                .notices(new TableNotificationSettingsStore(storage.table(NOTIFICATIONS_TABLE)),
                        new QueueNoticeQueue(storage.queue(NOTICE_QUEUE)))
                .secrets(new TableSecretStore(storage.table(SECRETS_TABLE)),
                        SecretKeySettings.keyWrap(settings.fixedSettings(), clock))
                .channelOverSecrets(secrets -> ChannelTypes.ALL.router(new SenderKit(http, secretSettings, secrets,
                        new SettingReader(settings.fixedSettings()), clock)))
                .noticeSenderOverSecrets(secrets -> new NotificationWebhook(http, secretSettings, secrets, clock))
                .poisonedTicks(poisonedTicks)
                .poisonQueues(sweptPoisonQueues(storage, parkingStorage))
                .broadcasts(broadcastStore, broadcastQueue)
                .imports(new TableImportStore(storage.table(IMPORTS_TABLE)),
                        new QueueImportQueue(storage.queue(IMPORT_QUEUE)))
                .idempotency(new TableIdempotencyStore(storage.table(IDEMPOTENCY_TABLE)))
                .jobs(new TableJobStore(storage.table(JOBS_TABLE)), new QueueJobQueue(storage.queue(JOB_PAGE_QUEUE), clock))
                .accountKeys(new TableAccountKeyStore(storage.table(API_KEYS_TABLE)), new SecureRandom())
                .build();
        return new AzureWiring(storage, engine, broadcastQueue,
                new TimerMetrics.Queries(parking, tickQueues, settings.tickShards(),
                        poisonQueues(storage, parkingStorage), settings.horizon(), clock));
    }

    /**
     * What the sweeper drains: every shard's tick poison queue and the parked one. All are read raw: the host moves
     * messages that are not base64 there too.
     */
    private static List<PoisonSweeper.Source> sweptPoisonQueues(StorageClients storage, StorageClients parkingStorage) {
        List<PoisonSweeper.Source> sources = new ArrayList<>();
        for (int shard = 0; shard < TimerShard.MAX; shard++) {
            sources.add(new PoisonSweeper.Source(new QueuePoisonQueue(storage.rawQueue(tickPoisonQueue(shard))),
                    PoisonSweeper.TICK_FUNCTION_DID_NOT_FINISH));
        }
        sources.add(new PoisonSweeper.Source(new QueuePoisonQueue(parkingStorage.rawQueue(PARKED_POISON_QUEUE)),
                PoisonSweeper.PUMP_COULD_NOT_READ));
        return sources;
    }

    /**
     * Every poison queue, by name: those the sweeper drains (each tick shard's and the parked one), the one the
     * broadcast pump keeps unreadable messages in, the two the host fills from the broadcast triggers (their
     * recipients are recorded as failed first), and those of the bulk jobs' and the imports' pages.
     */
    private static Map<String, QueueClient> poisonQueues(StorageClients storage, StorageClients parkingStorage) {
        Map<String, QueueClient> queues = new LinkedHashMap<>();
        for (int shard = 0; shard < TimerShard.MAX; shard++) {
            queues.put(tickPoisonQueue(shard), storage.rawQueue(tickPoisonQueue(shard)));
        }
        queues.put(PARKED_POISON_QUEUE, parkingStorage.rawQueue(PARKED_POISON_QUEUE));
        queues.put(BROADCAST_PARKED_POISON_QUEUE, parkingStorage.rawQueue(BROADCAST_PARKED_POISON_QUEUE));
        queues.put(BROADCAST_PAGE_QUEUE + "-poison", storage.rawQueue(BROADCAST_PAGE_QUEUE + "-poison"));
        queues.put(BROADCAST_SEND_QUEUE + "-poison", storage.rawQueue(BROADCAST_SEND_QUEUE + "-poison"));
        queues.put(JOB_PAGE_QUEUE + "-poison", storage.rawQueue(JOB_PAGE_QUEUE + "-poison"));
        queues.put(IMPORT_QUEUE + "-poison", storage.rawQueue(IMPORT_QUEUE + "-poison"));
        return queues;
    }
}
