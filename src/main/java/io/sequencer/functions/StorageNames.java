package io.sequencer.functions;

import io.sequencer.domain.timer.TimerShard;

/** The storage resources the app uses, by name: its queues (the triggers name them too) and tables. */
public final class StorageNames {
    /**
     * The timer queue of shard 0, the only one before timers were sharded (so ticks put there by older versions
     * still drain); the tick function's trigger names the same queue. Shard k > 0 is {@code sequencer-ticks-k}.
     */
    public static final String TICK_QUEUE = "sequencer-ticks";
    /** The timer queues of shards 1 to 3, spelled out because trigger annotations need constants. */
    static final String TICK_QUEUE_1 = TICK_QUEUE + "-1";
    static final String TICK_QUEUE_2 = TICK_QUEUE + "-2";
    static final String TICK_QUEUE_3 = TICK_QUEUE + "-3";
    /** Far-future timers; no function is triggered by it, so the scale controller does not count them. */
    public static final String PARKING_QUEUE = "sequencer-parked";
    /**
     * Where the Functions host moves a tick of shard 0 that failed {@link #MAX_DEQUEUE_COUNT} times; drained by the
     * sweeper, as every shard's ({@link #tickPoisonQueue}).
     */
    public static final String TICK_POISON_QUEUE = TICK_QUEUE + "-poison";
    /** Where the pump moves a parked message it cannot read; drained by the sweeper. */
    public static final String PARKED_POISON_QUEUE = PARKING_QUEUE + "-poison";
    /**
     * The tick trigger's attempts before the host poisons a message. Must equal {@code maxDequeueCount} in
     * host.json ({@code extensions.queues}), which the host obeys; StagedAppIT fails when the two differ.
     */
    public static final int MAX_DEQUEUE_COUNT = 5;
    public static final String SEQUENCES_TABLE = "sequences";
    public static final String ENROLLMENTS_TABLE = "enrollments";
    public static final String SUBSCRIBERS_TABLE = "subscribers";
    public static final String NOTIFICATIONS_TABLE = "notifications";
    /** Each account's frequency caps and each subscriber's recent sends that count against them. */
    public static final String CAPS_TABLE = "frequencycaps";
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
    /** Where the pump moves a parked broadcast message it cannot read; kept (no time-to-live) for a person. */
    public static final String BROADCAST_PARKED_POISON_QUEUE = BROADCAST_PARKING_QUEUE + "-poison";
    /** Bulk jobs (leave, move) on sequences' enrollments, per account. */
    public static final String JOBS_TABLE = "jobs";
    /** Pages of bulk jobs; the job function's trigger names the same queue. */
    public static final String JOB_PAGE_QUEUE = "sequencer-job-pages";
    /** Signals of enrollments with lifecycle events to deliver; drained by the notify timer, never triggered. */
    public static final String NOTICE_QUEUE = "sequencer-notices";

    /** Imports of subscribers: each import's job row, staged pages of rows and row errors. */
    public static final String IMPORTS_TABLE = "imports";
    /** Wakes the job that applies an import's pages; the import function's trigger names the same queue. */
    public static final String IMPORT_QUEUE = "sequencer-imports";

    private StorageNames() {}

    /** The triggered timer queue of {@code shard} (0 to {@link TimerShard#MAX} - 1). */
    public static String tickQueue(int shard) {
        if (shard < 0 || shard >= TimerShard.MAX) {
            throw new IllegalArgumentException("shard must be 0 to " + (TimerShard.MAX - 1) + ", was " + shard);
        }
        return shard == 0 ? TICK_QUEUE : TICK_QUEUE + "-" + shard;
    }

    /** Where the Functions host moves a tick of {@code shard} that failed {@link #MAX_DEQUEUE_COUNT} times. */
    public static String tickPoisonQueue(int shard) {
        return tickQueue(shard) + "-poison";
    }
}
