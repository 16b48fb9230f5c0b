package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import io.sequencer.adapters.json.stored.StoredVersion;
import io.sequencer.engine.StaleWrite;
import io.sequencer.engine.Stored;
import io.sequencer.engine.idempotency.IdempotencyRecord;
import io.sequencer.engine.idempotency.IdempotencyStore;
import io.sequencer.engine.idempotency.RecordedAnswer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Idempotency keys in Azure Table storage: partition = account, row = the key's digest (a key may hold characters
 * that table keys forbid). An answer's body is kept gzipped in binary properties of at most 64 KiB each; a body
 * that does not fit in the record's own entity (1 MiB) goes to part rows beside it, written before the record
 * names them, so no answer is too large to keep.
 */
public final class TableIdempotencyStore implements IdempotencyStore {
    /** Bytes per binary property: Table storage allows 64 KiB. */
    static final int CHUNK = 64_000;
    /**
     * Chunks per entity: 10 × 64,000 bytes stays under the 1 MiB entity limit even where the size is counted on
     * the wire, base64 (Azurite does), with room for the other properties.
     */
    static final int CHUNKS_PER_ROW = 10;
    private static final String RUNNING = "running";
    private static final String ANSWERED = "answered";
    /** When the row stops holding its key (a DateTime, so that a filter can compare it); parts carry it too. */
    private static final String FREE_AT = "freeAt";

    private final EntityTable table;

    public TableIdempotencyStore(TableClient table) {
        this.table = new EntityTable(table);
    }

    @Override
    public Optional<Stored<IdempotencyRecord>> find(String account, String key) {
        return table.find(TableKeys.of(account), TableKeys.digestOf(key))
                .filter(e -> key.equals(e.getProperty("key")))
                .map(e -> new Stored<>(fromEntity(account, e), e.getETag()));
    }

    @Override
    public void create(IdempotencyRecord record) {
        table.create("idempotency key", toEntity(record));
    }

    @Override
    public void replace(IdempotencyRecord record, String etag) {
        try {
            table.replace("idempotency key", toEntity(record), etag);
        } catch (TableServiceException e) {
            // Released or swept since it was read: as stale as a changed one.
            if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
                throw new StaleWrite("idempotency key");
            }
            throw e;
        }
    }

    @Override
    public boolean delete(String account, String key, String etag) {
        return table.deleteIfUnchanged(TableKeys.of(account), TableKeys.digestOf(key), etag);
    }

    /**
     * One read of the account's partition for answered records (their parts carry no phase), each deleted, parts
     * first, when its body holds {@code text} and it has not changed since it was read.
     */
    @Override
    public int removeAnswersContaining(String account, String text) {
        String partition = TableKeys.of(account);
        ListEntitiesOptions answered = new ListEntitiesOptions().setFilter("PartitionKey eq "
                + TableKeys.literal(partition) + " and phase eq " + TableKeys.literal(ANSWERED));
        int removed = 0;
        for (TableEntity e : table.client().listEntities(answered, null, Context.NONE)) {
            IdempotencyRecord record = fromEntity(account, e);
            if (!((IdempotencyRecord.Phase.Answered) record.phase()).answer().body().contains(text)) {
                continue;
            }
            int parts = ((Number) e.getProperty("bodyParts")).intValue();
            for (int i = 0; i < parts; i++) {
                // A delete of a row already gone succeeds: a retry after a crash here goes on.
                table.client().deleteEntity(partition, partRow(e.getRowKey(), record.claimId(), i));
            }
            if (table.deleteIfUnchanged(partition, e.getRowKey(), e.getETag())) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * One scan for rows (records and their parts) whose {@code freeAt} has passed, each deleted only if unchanged
     * since the scan; table scans cost one transaction per page, so the caller runs this seldom.
     */
    @Override
    public int removeFreedBefore(Instant instant, int max) {
        ListEntitiesOptions options = new ListEntitiesOptions().setTop(Math.min(max, 1000))
                .setFilter(FREE_AT + " lt datetime" + TableKeys.literal(instant.toString()))
                .setSelect(List.of("PartitionKey", "RowKey"));
        int removed = 0;
        Iterator<TableEntity> rows = table.client().listEntities(options, null, Context.NONE).iterator();
        while (removed < max && rows.hasNext()) {
            TableEntity row = rows.next();
            if (table.deleteIfUnchanged(row.getPartitionKey(), row.getRowKey(), row.getETag())) {
                removed++;
            }
        }
        return removed;
    }

    private TableEntity toEntity(IdempotencyRecord r) {
        TableEntity entity = new TableEntity(TableKeys.of(r.account()), TableKeys.digestOf(r.key()))
                .addProperty(StoredVersion.FIELD, StoredVersion.CURRENT)
                .addProperty(FREE_AT, r.freeAt().atOffset(ZoneOffset.UTC))
                .addProperty("key", r.key())
                .addProperty("fingerprint", r.fingerprint())
                .addProperty("claimId", r.claimId())
                .addProperty("claimedAt", r.claimedAt().toString());
        if (r.phase() instanceof IdempotencyRecord.Phase.Answered answered) {
            RecordedAnswer answer = answered.answer();
            entity.addProperty("phase", ANSWERED)
                    .addProperty("answeredAt", answered.answeredAt().toString())
                    .addProperty("status", answer.status())
                    .addProperty("contentType", answer.contentType());
            putBody(entity, r, gzip(answer.body()));
        } else {
            entity.addProperty("phase", RUNNING)
                    .addProperty("leaseEnds", ((IdempotencyRecord.Phase.Running) r.phase()).leaseEnds().toString());
        }
        return entity;
    }

    /** Inline when it fits; otherwise every chunk in part rows named by the claim, so no two attempts mix parts. */
    private void putBody(TableEntity entity, IdempotencyRecord r, byte[] body) {
        int chunks = Math.max(1, (body.length + CHUNK - 1) / CHUNK);
        if (chunks <= CHUNKS_PER_ROW) {
            putChunks(entity, body, 0, body.length);
            entity.addProperty("bodyParts", 0);
            return;
        }
        int perRow = CHUNK * CHUNKS_PER_ROW;
        int parts = (body.length + perRow - 1) / perRow;
        for (int i = 0; i < parts; i++) {
            TableEntity part = new TableEntity(entity.getPartitionKey(), partRow(entity.getRowKey(), r.claimId(), i))
                    .addProperty(FREE_AT, r.freeAt().atOffset(ZoneOffset.UTC));
            putChunks(part, body, i * perRow, Math.min(body.length, (i + 1) * perRow));
            table.client().upsertEntityWithResponse(part, TableEntityUpdateMode.REPLACE, null, Context.NONE);
        }
        entity.addProperty("bodyParts", parts);
    }

    private static void putChunks(TableEntity entity, byte[] body, int from, int to) {
        int chunks = Math.max(1, (to - from + CHUNK - 1) / CHUNK);
        entity.addProperty("body_n", chunks);
        for (int i = 0; i < chunks; i++) {
            int start = from + i * CHUNK;
            entity.addProperty("body_" + i, Arrays.copyOfRange(body, start, Math.min(to, start + CHUNK)));
        }
    }

    /** Every version there has been: 0, before rows carried {@code v}, is read as 1 is; a newer one is refused by name. */
    private IdempotencyRecord fromEntity(String account, TableEntity e) {
        StoredVersion.check("idempotency record " + account + "/" + e.getRowKey(), e.getProperty(StoredVersion.FIELD));
        String key = (String) e.getProperty("key");
        String claimId = (String) e.getProperty("claimId");
        IdempotencyRecord.Phase phase;
        if (ANSWERED.equals(e.getProperty("phase"))) {
            RecordedAnswer answer = new RecordedAnswer(((Number) e.getProperty("status")).intValue(),
                    (String) e.getProperty("contentType"), gunzip(body(e, claimId)));
            phase = new IdempotencyRecord.Phase.Answered(answer, Instant.parse((String) e.getProperty("answeredAt")));
        } else {
            phase = new IdempotencyRecord.Phase.Running(Instant.parse((String) e.getProperty("leaseEnds")));
        }
        return new IdempotencyRecord(account, key, (String) e.getProperty("fingerprint"), claimId,
                Instant.parse((String) e.getProperty("claimedAt")), phase);
    }

    private byte[] body(TableEntity e, String claimId) {
        int parts = ((Number) e.getProperty("bodyParts")).intValue();
        if (parts == 0) {
            return chunks(e);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < parts; i++) {
            String row = partRow(e.getRowKey(), claimId, i);
            body.writeBytes(chunks(table.find(e.getPartitionKey(), row)
                    .orElseThrow(() -> new IllegalStateException("part " + row + " of a kept answer is missing"))));
        }
        return body.toByteArray();
    }

    private static byte[] chunks(TableEntity e) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int chunks = ((Number) e.getProperty("body_n")).intValue();
        for (int i = 0; i < chunks; i++) {
            bytes.writeBytes((byte[]) e.getProperty("body_" + i));
        }
        return bytes.toByteArray();
    }

    private static String partRow(String row, String claimId, int index) {
        return row + "|" + claimId + "|" + index;
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String gunzip(byte[] gzipped) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
