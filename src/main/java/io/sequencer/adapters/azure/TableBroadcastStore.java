package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableErrorCode;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.azure.data.tables.models.TableTransactionFailedException;
import io.sequencer.adapters.json.stored.StoredBroadcast;
import io.sequencer.adapters.json.stored.StoredChannelForms;
import io.sequencer.adapters.json.stored.StoredRecipient;
import io.sequencer.domain.broadcast.AudienceMember;
import io.sequencer.domain.broadcast.Broadcast;
import io.sequencer.domain.broadcast.Recipient;
import io.sequencer.domain.report.Tally;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.broadcast.BroadcastStore;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Broadcasts in Azure Table storage. A broadcast's own partition ({@code <account>|<id>}) holds its definition and
 * state (row {@code broadcast}), its listed subscribers ({@code listed|<page>}) and its senders' leases
 * ({@code lease|<token>}). Its recipients are spread over {@link #SHARDS} partitions ({@code <account>|<id>|r<n>},
 * by subscriber id), each with its own tally rows, so a large audience is written and sent at the rate of several
 * partitions, and every recipient's change is one atomic batch with its counts.
 */
public final class TableBroadcastStore implements BroadcastStore {
    /** Recipient partitions per broadcast. */
    static final int SHARDS = 8;
    private static final String DEFINITION = "broadcast";
    private static final String LISTED = "listed|";
    private static final String LEASE = "lease|";
    /** Recipients per batch: a batch holds 100 entities, one of them the tally row. */
    private static final int RECIPIENTS_PER_BATCH = 99;
    private static final int MAX_INSERT_ROUNDS = 5;

    private final EntityTable table;
    private final TallyRows tallies;
    private final Clock clock;
    private final StoredChannelForms channels;

    /** @param channels the stored forms of the channel types, for each broadcast's channel */
    public TableBroadcastStore(TableClient table, Clock clock, StoredChannelForms channels) {
        this.channels = channels;
        this.table = new EntityTable(table);
        this.tallies = new TallyRows(table, clock);
        this.clock = clock;
    }

    private static String home(String account, String broadcastId) {
        return TableKeys.of(account, broadcastId);
    }

    static String shardOf(String account, String broadcastId, String subscriberId) {
        return TableKeys.of(account, broadcastId, "r" + Math.floorMod(subscriberId.hashCode(), SHARDS));
    }

    @Override
    public Optional<Stored<Broadcast>> find(String account, String broadcastId) {
        return table.find(home(account, broadcastId), DEFINITION)
                .map(e -> new Stored<>(fromEntity(account, broadcastId, e), e.getETag()));
    }

    /**
     * The account's broadcast partitions are the keys from {@code <account>|} up to {@code <account>}} ('}' follows
     * '|', and no id holds either): one range scan, which also passes over their recipient rows, so it is for rare
     * questions (deleting a secret), not for sending.
     */
    @Override
    public List<Broadcast> list(String account) {
        String low = TableKeys.of(account) + "|";
        String high = TableKeys.of(account) + "}";
        ListEntitiesOptions options = new ListEntitiesOptions().setFilter("PartitionKey gt " + TableKeys.literal(low)
                + " and PartitionKey lt " + TableKeys.literal(high) + " and RowKey eq " + TableKeys.literal(DEFINITION));
        return table.client().listEntities(options, null, Context.NONE).stream()
                .map(e -> fromEntity(account, e.getPartitionKey().substring(low.length()), e))
                .sorted(java.util.Comparator.comparing(Broadcast::id))
                .toList();
    }

    @Override
    public void create(Broadcast broadcast, List<AudienceMember> listed) {
        String partition = home(broadcast.account(), broadcast.id());
        List<TableTransactionAction> batch = new ArrayList<>();
        batch.add(new TableTransactionAction(TableTransactionActionType.CREATE, toEntity(broadcast)));
        for (int page = 0; page * Broadcast.LISTED_PAGE < listed.size(); page++) {
            List<AudienceMember> members = listed.subList(page * Broadcast.LISTED_PAGE,
                    Math.min(listed.size(), (page + 1) * Broadcast.LISTED_PAGE));
            TableEntity row = new TableEntity(partition, listedRow(page));
            StoredBroadcast.writeMembers(members).forEach(row::addProperty);
            batch.add(new TableTransactionAction(TableTransactionActionType.CREATE, row));
        }
        try {
            table.client().submitTransactionWithResponse(batch, null, Context.NONE);
        } catch (TableTransactionFailedException e) {
            if (e.getValue() != null && TableErrorCode.ENTITY_ALREADY_EXISTS.equals(e.getValue().getErrorCode())) {
                throw new AlreadyExists("broadcast " + broadcast.id());
            }
            throw e;
        }
    }

    private static String listedRow(int page) {
        return LISTED + String.format("%05d", page);
    }

    @Override
    public void replace(Broadcast broadcast, String etag) {
        table.replace("broadcast " + broadcast.id(), toEntity(broadcast), etag);
    }

    @Override
    public List<AudienceMember> listedPage(String account, String broadcastId, int page) {
        return table.find(home(account, broadcastId), listedRow(page))
                .map(row -> StoredBroadcast.readMembers(broadcastId + "/" + row.getRowKey(), row.getProperties()))
                .orElse(List.of());
    }

    @Override
    public int addRecipients(String account, String broadcastId, List<Recipient> recipients) {
        Map<String, List<Recipient>> byShard = new TreeMap<>();
        for (Recipient r : recipients) {
            byShard.computeIfAbsent(shardOf(account, broadcastId, r.subscriberId()), s -> new ArrayList<>()).add(r);
        }
        int added = 0;
        for (Map.Entry<String, List<Recipient>> shard : byShard.entrySet()) {
            List<Recipient> all = shard.getValue();
            for (int from = 0; from < all.size(); from += RECIPIENTS_PER_BATCH) {
                added += insertNew(shard.getKey(), all.subList(from, Math.min(all.size(), from + RECIPIENTS_PER_BATCH)));
            }
        }
        return added;
    }

    /**
     * Inserts the recipients of one batch with their audience count; when some are stored already (a repeated page,
     * or a listed subscriber the account scan finds too), reads which, and inserts the rest.
     */
    private int insertNew(String partition, List<Recipient> batch) {
        List<Recipient> toInsert = batch;
        for (int round = 0; round < MAX_INSERT_ROUNDS && !toInsert.isEmpty(); round++) {
            List<TableTransactionAction> creates = new ArrayList<>();
            Tally audience = Tally.EMPTY;
            for (Recipient r : toInsert) {
                creates.add(new TableTransactionAction(TableTransactionActionType.CREATE, recipientEntity(partition, r)));
                audience = audience.plus(r.tallyChange(Optional.empty()));
            }
            try {
                tallies.writeWith("recipients", creates, today(), audience);
                return toInsert.size();
            } catch (AlreadyExists some) {
                Set<String> stored = storedAmong(partition, toInsert);
                toInsert = toInsert.stream().filter(r -> !stored.contains(r.subscriberId())).toList();
            }
        }
        if (toInsert.isEmpty()) {
            return 0;
        }
        throw new IllegalStateException("recipients of " + partition + " keep appearing while being added");
    }

    /** Which of {@code batch} are stored: one range read over the batch's ids, keys only. */
    private Set<String> storedAmong(String partition, List<Recipient> batch) {
        String low = batch.stream().map(Recipient::subscriberId).min(String::compareTo).orElseThrow();
        String high = batch.stream().map(Recipient::subscriberId).max(String::compareTo).orElseThrow();
        Set<String> wanted = new HashSet<>(batch.stream().map(Recipient::subscriberId).toList());
        ListEntitiesOptions range = new ListEntitiesOptions().setSelect(List.of("RowKey")).setFilter(
                "PartitionKey eq " + TableKeys.literal(partition) + " and RowKey ge " + TableKeys.literal(low)
                        + " and RowKey le " + TableKeys.literal(high));
        Set<String> stored = new HashSet<>();
        for (TableEntity e : table.client().listEntities(range, null, Context.NONE)) {
            if (wanted.contains(e.getRowKey())) {
                stored.add(e.getRowKey());
            }
        }
        return stored;
    }

    @Override
    public Optional<Stored<Recipient>> recipient(String account, String broadcastId, String subscriberId) {
        return table.find(shardOf(account, broadcastId, subscriberId), TableKeys.of(subscriberId))
                .map(e -> new Stored<>(recipientOf(account, broadcastId, e), e.getETag()));
    }

    @Override
    public String replaceRecipient(Recipient next, String etag) {
        String partition = shardOf(next.account(), next.broadcastId(), next.subscriberId());
        String what = "recipient " + next.subscriberId();
        table.replace(what, recipientEntity(partition, next), etag);
        // The ETag as a read returns it: the form a later batch's If-Match is compared with (the emulator's reads and
        // response headers spell it differently).
        return table.find(partition, TableKeys.of(next.subscriberId())).map(TableEntity::getETag)
                .orElseThrow(() -> new StaleWrite(what));
    }

    @Override
    public void replaceRecipient(Recipient next, String etag, Tally change) {
        String partition = shardOf(next.account(), next.broadcastId(), next.subscriberId());
        tallies.writeWith("recipient " + next.subscriberId(), List.of(new TableTransactionAction(
                TableTransactionActionType.UPDATE_REPLACE, EntityTable.withEtag(recipientEntity(partition, next), etag),
                true)), today(), change);
    }

    @Override
    public Tally tally(String account, String broadcastId) {
        Tally sum = Tally.EMPTY;
        for (int shard = 0; shard < SHARDS; shard++) {
            for (Tally day : tallies.read(TableKeys.of(account, broadcastId, "r" + shard)).values()) {
                sum = sum.plus(day);
            }
        }
        return sum;
    }

    @Override
    public void forget(String account, String broadcastId, String subscriberId) {
        int pages = find(account, broadcastId).map(b -> b.value().listedPages()).orElse(0);
        BroadcastForgetting.forget(table, shardOf(account, broadcastId, subscriberId), home(account, broadcastId),
                IntStream.range(0, pages).mapToObj(TableBroadcastStore::listedRow).toList(), subscriberId);
    }

    @Override
    public void openLease(String account, String broadcastId, String token, Instant until) {
        table.client().upsertEntity(new TableEntity(home(account, broadcastId), LEASE + TableKeys.of(token))
                .addProperty("until", until.toString()));
    }

    @Override
    public void closeLease(String account, String broadcastId, String token) {
        table.deleteIfPresent(home(account, broadcastId), LEASE + TableKeys.of(token));
    }

    @Override
    public List<Instant> leases(String account, String broadcastId) {
        ListEntitiesOptions range = new ListEntitiesOptions().setFilter("PartitionKey eq "
                + TableKeys.literal(home(account, broadcastId)) + " and RowKey ge " + TableKeys.literal(LEASE)
                + " and RowKey lt " + TableKeys.literal("lease}"));
        List<Instant> ends = new ArrayList<>();
        table.client().listEntities(range, null, Context.NONE)
                .forEach(e -> ends.add(Instant.parse((String) e.getProperty("until"))));
        return ends;
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    private TableEntity toEntity(Broadcast b) {
        TableEntity e = new TableEntity(home(b.account(), b.id()), DEFINITION);
        StoredBroadcast.write(b, channels).forEach(e::addProperty);
        return e;
    }

    private Broadcast fromEntity(String account, String broadcastId, TableEntity e) {
        return StoredBroadcast.read(account, broadcastId, e.getProperties(), channels);
    }

    private static TableEntity recipientEntity(String partition, Recipient r) {
        TableEntity e = new TableEntity(partition, TableKeys.of(r.subscriberId()));
        StoredRecipient.write(r).forEach(e::addProperty);
        return e;
    }

    private static Recipient recipientOf(String account, String broadcastId, TableEntity e) {
        return StoredRecipient.read(account, broadcastId, e.getRowKey(), e.getProperties());
    }
}
