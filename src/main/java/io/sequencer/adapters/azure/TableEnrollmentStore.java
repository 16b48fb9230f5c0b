package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import io.sequencer.adapters.json.EnrollmentJson;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.Enrollment;
import io.sequencer.domain.EnrollmentKey;
import io.sequencer.domain.EnrollmentStatus;
import io.sequencer.engine.EnrollmentStore;
import io.sequencer.engine.Stored;
import java.time.Instant;
import java.util.Optional;

/**
 * Enrollments in Azure Table storage: partition = account|sequence, row = subscriber. One point read and
 * one conditional write per step, whatever the population.
 */
public final class TableEnrollmentStore implements EnrollmentStore {
    private final TableClient table;

    public TableEnrollmentStore(TableClient table) {
        this.table = table;
    }

    @Override
    public Optional<Stored<Enrollment>> find(EnrollmentKey key) {
        TableEntity entity = TableErrors.readOrNull(() -> table.getEntityWithResponse(
                partition(key), TableKeys.of(key.subscriberId()), null, null, Context.NONE).getValue());
        return Optional.ofNullable(entity).map(e -> new Stored<>(fromEntity(key, e), e.getETag()));
    }

    @Override
    public void create(Enrollment enrollment) {
        TableErrors.write("enrollment " + enrollment.key(), () -> table.createEntity(toEntity(enrollment)));
    }

    @Override
    public void replace(Enrollment enrollment, String etag) {
        TableEntity entity = toEntity(enrollment).addProperty("odata.etag", etag);
        TableErrors.write("enrollment " + enrollment.key(), () ->
                table.updateEntityWithResponse(entity, TableEntityUpdateMode.REPLACE, true, null, Context.NONE));
    }

    private static String partition(EnrollmentKey key) {
        return TableKeys.of(key.account(), key.sequenceId());
    }

    private static TableEntity toEntity(Enrollment e) {
        TableEntity entity = new TableEntity(partition(e.key()), TableKeys.of(e.key().subscriberId()))
                .addProperty("status", e.status().wireName())
                .addProperty("epoch", e.epoch())
                .addProperty("cursor", e.cursor())
                .addProperty("enrolledAt", e.enrolledAt().toString())
                .addProperty("updatedAt", e.updatedAt().toString());
        if (e.nextStepId() != null) {
            entity.addProperty("nextStepId", e.nextStepId())
                    .addProperty("nextDueAt", e.nextDueAt().toString())
                    .addProperty("timerToken", e.timerToken());
        }
        ChunkedText.put(entity, "history", Json.write(EnrollmentJson.writeHistory(e.history())));
        return entity;
    }

    private static Enrollment fromEntity(EnrollmentKey key, TableEntity e) {
        String nextDueAt = (String) e.getProperty("nextDueAt");
        return new Enrollment(key,
                EnrollmentStatus.fromWireName((String) e.getProperty("status")),
                ((Number) e.getProperty("epoch")).longValue(),
                ((Number) e.getProperty("cursor")).intValue(),
                (String) e.getProperty("nextStepId"),
                nextDueAt == null ? null : Instant.parse(nextDueAt),
                (String) e.getProperty("timerToken"),
                Instant.parse((String) e.getProperty("enrolledAt")),
                Instant.parse((String) e.getProperty("updatedAt")),
                EnrollmentJson.readStoredHistory(ChunkedText.get(e, "history")));
    }
}
