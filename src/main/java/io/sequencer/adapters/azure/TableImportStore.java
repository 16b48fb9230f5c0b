package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import io.sequencer.adapters.json.stored.StoredImport;
import io.sequencer.engine.Stored;
import io.sequencer.engine.imports.ImportJob;
import io.sequencer.engine.imports.ImportPage;
import io.sequencer.engine.imports.ImportStore;
import io.sequencer.engine.imports.RowError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Imports in their own table, one partition per import: the job row, its staged pages ({@code page-00000012}) and
 * its row errors ({@code error-000000000345}, by line, so they list in line order). Pages and errors are written
 * in batches (upserts, so a retry rewrites them), kept under the size one batch may carry. An account's imports are
 * the partitions whose key starts with {@code account|}: one range query over them, reading only the job rows' keys
 * ({@code '}'} follows {@code '|'}, so the range ends where the account's partitions do).
 */
public final class TableImportStore implements ImportStore {
    private static final String JOB = "job";
    private static final String PAGE = "page-";
    private static final String ERROR = "error-";
    /** Characters of page text per batch: a batch may carry 4 MiB, and a page up to about 450,000 characters. */
    private static final int BATCH_CHARS = 1_000_000;
    private static final int BATCH = 100;

    private final EntityTable table;

    public TableImportStore(TableClient table) {
        this.table = new EntityTable(table);
    }

    @Override
    public Optional<Stored<ImportJob>> find(String account, String importId) {
        return table.find(partition(account, importId), JOB).map(e ->
                new Stored<>(StoredImport.readJob(account, importId, e.getProperties()), e.getETag()));
    }

    @Override
    public void create(ImportJob job) {
        table.create("import " + job.id(), jobEntity(job));
    }

    @Override
    public void replace(ImportJob job, String etag) {
        table.replace("import " + job.id(), jobEntity(job), etag);
    }

    @Override
    public List<String> list(String account) {
        String from = TableKeys.of(account) + "|";
        String filter = "PartitionKey gt " + TableKeys.literal(from) + " and PartitionKey lt "
                + TableKeys.literal(TableKeys.of(account) + "}") + " and RowKey eq " + TableKeys.literal(JOB);
        ListEntitiesOptions options = new ListEntitiesOptions().setFilter(filter).setSelect(List.of("PartitionKey"));
        List<String> ids = new ArrayList<>();
        for (TableEntity e : table.client().listEntities(options, null, Context.NONE)) {
            ids.add(e.getPartitionKey().substring(from.length()));
        }
        return ids;
    }

    @Override
    public List<ImportPage> staged(String account, String importId) {
        String partition = partition(account, importId);
        String filter = "PartitionKey eq " + TableKeys.literal(partition) + " and RowKey ge " + TableKeys.literal(PAGE)
                + " and RowKey lt " + TableKeys.literal("page.");
        List<ImportPage> pages = new ArrayList<>();
        for (TableEntity e : table.client().listEntities(new ListEntitiesOptions().setFilter(filter), null,
                Context.NONE)) {
            pages.add(StoredImport.readPage("import " + account + "/" + importId + " " + e.getRowKey(),
                    e.getProperties()));
        }
        return pages;
    }

    @Override
    public void stage(String account, String importId, List<ImportPage> pages) {
        String partition = partition(account, importId);
        List<TableTransactionAction> batch = new ArrayList<>();
        int chars = 0;
        for (ImportPage page : pages) {
            TableEntity entity = new TableEntity(partition, pageRow(page.number()));
            Map<String, Object> properties = StoredImport.writePage(page);
            properties.forEach(entity::addProperty);
            int size = properties.values().stream().mapToInt(v -> v instanceof String s ? s.length() : 8).sum();
            if (!batch.isEmpty() && chars + size > BATCH_CHARS) {
                submit(batch);
                chars = 0;
            }
            batch.add(new TableTransactionAction(TableTransactionActionType.UPSERT_REPLACE, entity));
            chars += size;
        }
        submit(batch);
    }

    @Override
    public Optional<ImportPage> page(String account, String importId, int number) {
        return table.find(partition(account, importId), pageRow(number)).map(e ->
                StoredImport.readPage("import " + account + "/" + importId + " page " + number, e.getProperties()));
    }

    @Override
    public void dropPage(String account, String importId, int number) {
        table.deleteIfPresent(partition(account, importId), pageRow(number));
    }

    @Override
    public void recordErrors(String account, String importId, List<RowError> errors) {
        String partition = partition(account, importId);
        List<TableTransactionAction> batch = new ArrayList<>();
        for (RowError error : errors) {
            TableEntity entity = new TableEntity(partition, errorRow(error.line()));
            StoredImport.writeError(error).forEach(entity::addProperty);
            batch.add(new TableTransactionAction(TableTransactionActionType.UPSERT_REPLACE, entity));
            if (batch.size() == BATCH) {
                submit(batch);
            }
        }
        submit(batch);
    }

    @Override
    public List<RowError> errors(String account, String importId, long afterLine, int max) {
        String partition = partition(account, importId);
        String filter = "PartitionKey eq " + TableKeys.literal(partition) + " and RowKey gt "
                + TableKeys.literal(errorRow(afterLine)) + " and RowKey lt " + TableKeys.literal("error.");
        ListEntitiesOptions options = new ListEntitiesOptions().setFilter(filter).setTop(Math.min(max, 1000));
        List<RowError> errors = new ArrayList<>();
        Iterator<TableEntity> rows = table.client().listEntities(options, null, Context.NONE).iterator();
        while (errors.size() < max && rows.hasNext()) {
            TableEntity e = rows.next();
            errors.add(StoredImport.readError("import " + account + "/" + importId + " " + e.getRowKey(),
                    e.getProperties()));
        }
        return errors;
    }

    private void submit(List<TableTransactionAction> batch) {
        if (!batch.isEmpty()) {
            table.client().submitTransactionWithResponse(List.copyOf(batch), null, Context.NONE);
            batch.clear();
        }
    }

    private static TableEntity jobEntity(ImportJob job) {
        TableEntity entity = new TableEntity(partition(job.account(), job.id()), JOB);
        StoredImport.writeJob(job).forEach(entity::addProperty);
        return entity;
    }

    private static String partition(String account, String importId) {
        return TableKeys.of(account, importId);
    }

    private static String pageRow(int number) {
        return PAGE + String.format("%08d", number);
    }

    private static String errorRow(long line) {
        return ERROR + String.format("%012d", line);
    }
}
