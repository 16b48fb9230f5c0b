package io.sequencer.bench;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import io.sequencer.adapters.azure.StorageClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What one storage operation costs the emulator: its process's processor time per operation, and the operations per
 * second, for each kind of request a tick, an enroll or the trigger makes ({@link #CALLERS} callers, the SDK clients
 * the app uses).
 * A design that trades one request for another (for example a tick that updates its own message instead of deleting
 * it and putting the next) can be judged by these before it is built; the figures are the emulator's, not Azure's.
 *
 * <p>The queue figures depend on how many messages the queue holds (the emulator scans them on a get, a delete and
 * an update): every queue request here runs with at most {@link #QUEUE_DEPTH} messages in it, the depth of the
 * end-to-end run. Rows have the property count of an enrollment. The emulator's processor time is read in 10 ms
 * ticks, so a figure over few requests (the gets) is coarse.
 */
final class EmulatorOpCosts {
    static final int QUEUE_DEPTH = 300;
    static final int CALLERS = 16;
    private static final int TABLE_ROWS = 2_000;
    private static final int PROPERTIES = 11;
    private static final String BODY = "x".repeat(300);

    /** One kind of operation: emulator processor milliseconds per operation, and operations per second. */
    record Cost(String operation, String emulator, int operations, double emulatorMillisPerOperation,
                double operationsPerSecond) {}

    private final BenchAzurite azurite;
    private final StorageClients storage;

    EmulatorOpCosts(BenchAzurite azurite) {
        this.azurite = azurite;
        this.storage = azurite.clients();
    }

    /**
     * Each operation measured once, in this order, on a queue and a table of its own: the queue is left empty, the
     * table deleted.
     */
    List<Cost> run(String name) throws Exception {
        List<Cost> costs = new ArrayList<>();
        QueueClient queue = storage.queue(name);
        queue.createIfNotExists();
        queue.clearMessages();
        costs.add(measure("queue put, visible", "queue", azurite.queueProcess(), QUEUE_DEPTH,
                i -> queue.sendMessage(BODY)));
        ConcurrentLinkedQueue<QueueMessageItem> received = new ConcurrentLinkedQueue<>();
        // Gets of 16 until the queue is empty: each is one request, so the figure is per get, not per message.
        costs.add(measure("queue get of 16", "queue", azurite.queueProcess(), (QUEUE_DEPTH + 15) / 16,
                i -> queue.receiveMessages(16, Duration.ofMinutes(5), null, null).forEach(received::add)));
        costs.add(measure("queue delete", "queue", azurite.queueProcess(), received.size() / 2, i -> {
            QueueMessageItem m = received.poll();
            queue.deleteMessage(m.getMessageId(), m.getPopReceipt());
        }));
        int updates = received.size();
        costs.add(measure("queue update (new text, hidden 1 h)", "queue", azurite.queueProcess(), updates, i -> {
            QueueMessageItem m = received.poll();
            queue.updateMessage(m.getMessageId(), m.getPopReceipt(), BODY, Duration.ofHours(1));
        }));
        queue.clearMessages(); // the updated messages, hidden: the hidden puts start from an empty queue as the others
        costs.add(measure("queue put, hidden 1 h", "queue", azurite.queueProcess(), QUEUE_DEPTH,
                i -> queue.sendMessageWithResponse(BODY, Duration.ofHours(1), null, null, null)));
        queue.clearMessages();

        TableClient table = storage.table(name);
        table.createTable();
        String partition = "account|sequence";
        List<TableEntity> rows = new ArrayList<>(TABLE_ROWS);
        for (int i = 0; i < TABLE_ROWS; i++) {
            TableEntity row = new TableEntity(partition, String.format("subscriber-%05d", i));
            for (int p = 0; p < PROPERTIES; p++) {
                row.addProperty("p" + p, "value " + p);
            }
            rows.add(row);
        }
        costs.add(measure("table insert", "table", azurite.tableProcess(), TABLE_ROWS,
                i -> table.createEntity(rows.get(i))));
        costs.add(measure("table point read", "table", azurite.tableProcess(), TABLE_ROWS,
                i -> table.getEntity(partition, rows.get(random()).getRowKey())));
        costs.add(measure("table replace", "table", azurite.tableProcess(), TABLE_ROWS,
                i -> table.updateEntity(rows.get(random()), TableEntityUpdateMode.REPLACE)));
        List<TableEntity> tallies = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
            TableEntity tally = new TableEntity(partition, "~tally|" + c).addProperty("sent", 0L);
            table.upsertEntity(tally);
            tallies.add(tally);
        }
        // A tick's write: the enrollment replaced and a tally row merged, one entity group transaction.
        costs.add(measure("table batch: replace + merge", "table", azurite.tableProcess(), TABLE_ROWS,
                i -> table.submitTransaction(List.of(
                        new TableTransactionAction(TableTransactionActionType.UPDATE_REPLACE, rows.get(random())),
                        new TableTransactionAction(TableTransactionActionType.UPDATE_MERGE,
                                tallies.get(i % CALLERS))))));
        table.deleteTable();
        return costs;
    }

    private interface Operation {
        void run(int index) throws Exception;
    }

    private static int random() {
        return ThreadLocalRandom.current().nextInt(TABLE_ROWS);
    }

    private static Cost measure(String operation, String emulator, ProcessHandle process, int count, Operation op)
            throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        try {
            long cpuBefore = ProcessorShare.nanos(process);
            long start = System.nanoTime();
            List<Future<?>> running = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int index = i;
                running.add(callers.submit(() -> {
                    op.run(index);
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long cpuAfter = ProcessorShare.nanos(process);
            double perOperation = cpuBefore < 0 || cpuAfter < 0 ? Double.NaN : (cpuAfter - cpuBefore) / 1e6 / count;
            return new Cost(operation, emulator, count, perOperation, count / seconds);
        } finally {
            callers.shutdownNow();
        }
    }

    /** The runs' figures grouped by operation, in the order they were measured: one report row each. */
    static Map<String, List<Cost>> byOperation(List<List<Cost>> runs) {
        Map<String, List<Cost>> by = new LinkedHashMap<>();
        for (List<Cost> run : runs) {
            for (Cost c : run) {
                by.computeIfAbsent(c.operation(), k -> new ArrayList<>()).add(c);
            }
        }
        return by;
    }
}
