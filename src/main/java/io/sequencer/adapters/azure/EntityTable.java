package io.sequencer.adapters.azure;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import io.sequencer.engine.AlreadyExists;
import io.sequencer.engine.StaleWrite;
import java.util.Optional;

/**
 * Point reads and conditional writes on one table, with Table storage's answers translated into the engine's
 * typed outcomes: 404 → empty, 409 on create → {@link AlreadyExists}, 412 on replace → {@link StaleWrite}.
 */
final class EntityTable {
    private static final String ETAG_PROPERTY = "odata.etag";

    private final TableClient table;

    EntityTable(TableClient table) {
        this.table = table;
    }

    TableClient client() {
        return table;
    }

    Optional<TableEntity> find(String partitionKey, String rowKey) {
        try {
            return Optional.of(table.getEntityWithResponse(partitionKey, rowKey, null, null, Context.NONE).getValue());
        } catch (TableServiceException e) {
            if (status(e) == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    void create(String what, TableEntity entity) {
        try {
            table.createEntityWithResponse(entity, null, Context.NONE);
        } catch (TableServiceException e) {
            if (status(e) == 409) {
                throw new AlreadyExists(what);
            }
            throw e;
        }
    }

    /** {@code entity} carrying {@code etag}, which the SDK sends as If-Match on a conditional write. */
    static TableEntity withEtag(TableEntity entity, String etag) {
        return entity.addProperty(ETAG_PROPERTY, etag);
    }

    /** Replaces the entity only if it still has {@code etag} (If-Match). */
    void replace(String what, TableEntity entity, String etag) {
        withEtag(entity, etag);
        try {
            table.updateEntityWithResponse(entity, TableEntityUpdateMode.REPLACE, true, null, Context.NONE);
        } catch (TableServiceException e) {
            if (status(e) == 412) {
                throw new StaleWrite(what);
            }
            throw e;
        }
    }

    /**
     * Deletes the entity only if it still has {@code etag} (If-Match). False when it changed since (412) or is
     * gone already (404): either way, the version that was read no longer exists.
     */
    boolean deleteIfUnchanged(String partitionKey, String rowKey, String etag) {
        TableEntity entity = new TableEntity(partitionKey, rowKey).addProperty(ETAG_PROPERTY, etag);
        try {
            table.deleteEntityWithResponse(entity, true, null, Context.NONE);
            return true;
        } catch (TableServiceException e) {
            if (status(e) == 412 || status(e) == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Deletes the entity, whatever its version; one already gone is no error. */
    void deleteIfPresent(String partitionKey, String rowKey) {
        try {
            table.deleteEntity(partitionKey, rowKey);
        } catch (TableServiceException e) {
            if (status(e) != 404) {
                throw e;
            }
        }
    }

    private static int status(TableServiceException e) {
        return e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
    }
}
