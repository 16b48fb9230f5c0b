package io.sequencer.bench;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes enrollment-shaped entities straight into one table partition in 100-entity batches (the most a batch
 * may hold), from parallel writers: both the population for the tick-cost probes and the raw insert rate the
 * enroll rate is compared with.
 */
final class RawTableInserts {
    static final int BATCH = 100;
    private static final Set<String> SYSTEM = Set.of("PartitionKey", "RowKey", "Timestamp");

    record Result(int written, double seconds, double entitiesPerSecond) {}

    private final TableClient table;
    private final String partition;
    private final int parallel;
    private final Optional<Map<String, Object>> template;

    RawTableInserts(TableClient table, String partition, int parallel) {
        this(table, partition, parallel, Optional.empty());
    }

    /** Rows with the properties of {@code template} (a row the app wrote) instead of the enrollment-shaped four. */
    RawTableInserts(TableClient table, String partition, int parallel, Optional<TableEntity> template) {
        this.table = table;
        this.partition = partition;
        this.parallel = parallel;
        this.template = template.map(t -> {
            Map<String, Object> properties = new HashMap<>(t.getProperties());
            properties.keySet().removeIf(name -> name.startsWith("odata.") || SYSTEM.contains(name));
            return properties;
        });
    }

    /** Writes rows {@code from} (inclusive) to {@code to} (exclusive), stopping early after {@code budgetSeconds}. */
    Result write(int from, int to, double budgetSeconds) throws InterruptedException {
        AtomicInteger nextBatch = new AtomicInteger(from / BATCH);
        AtomicInteger written = new AtomicInteger();
        long start = System.nanoTime();
        long deadline = start + (long) (budgetSeconds * 1e9);
        String due = Instant.now().plusSeconds(7 * 24 * 3600).toString();
        ExecutorService writers = Executors.newFixedThreadPool(parallel);
        for (int w = 0; w < parallel; w++) {
            writers.execute(() -> {
                for (int b = nextBatch.getAndIncrement(); b * BATCH < to && System.nanoTime() < deadline; b = nextBatch.getAndIncrement()) {
                    List<TableTransactionAction> actions = new ArrayList<>(BATCH);
                    for (int i = b * BATCH; i < Math.min(to, (b + 1) * BATCH); i++) {
                        actions.add(new TableTransactionAction(TableTransactionActionType.CREATE, entity(i, due)));
                    }
                    table.submitTransaction(actions);
                    written.addAndGet(actions.size());
                }
            });
        }
        writers.shutdown();
        writers.awaitTermination(1, TimeUnit.HOURS);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(written.get(), seconds, written.get() / seconds);
    }

    /**
     * An active enrollment waiting for its first step, with the properties that say so (see TableEnrollmentStore);
     * the history and timestamps a real row adds are left out, which makes no difference to a point read or a
     * conditional write on another row and lets the harness store a million rows in its time budget.
     */
    private TableEntity entity(int index, String due) {
        TableEntity row = new TableEntity(partition, String.format("pop-%08d", index));
        if (template.isPresent()) {
            template.get().forEach(row::addProperty);
            return row;
        }
        return row
                .addProperty("status", "active")
                .addProperty("epoch", 1L)
                .addProperty("nextStepId", "s1")
                .addProperty("nextDueAt", due);
    }
}
