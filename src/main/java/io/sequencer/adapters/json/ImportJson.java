package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.engine.imports.ImportJob;
import io.sequencer.engine.imports.ImportStatus;
import io.sequencer.engine.imports.RowError;
import java.util.List;
import java.util.Optional;

/** Writes an import, as the API shows it: where it stands, its counts, and a page of its row errors. */
public final class ImportJson {
    private ImportJson() {}

    public static ObjectNode write(ImportJob job) {
        ObjectNode out = Json.object();
        out.put("importId", job.id());
        ImportStatus status = job.status();
        out.put("status", status.wireName());
        out.put("format", job.format());
        out.put("welcome", job.welcome());
        out.put("partsReceived", job.partsReceived());
        out.put("lastPartReceived", job.lastPartReceived());
        out.put("linesRead", job.linesRead());
        out.putObject("rows")
                .put("received", job.rowsReceived())
                .put("imported", job.rowsImported())
                .put("failed", job.rowsFailed())
                .put("pending", job.rowsPending());
        job.failure().ifPresent(failure -> out.put("failure", failure));
        out.put("createdAt", job.createdAt().toString());
        out.put("updatedAt", job.updatedAt().toString());
        return out;
    }

    /** The import with {@code errors} (a page of them, in line order) and the line to read the next page after. */
    public static ObjectNode write(ImportJob job, List<RowError> errors, Optional<Long> nextErrorsAfter) {
        ObjectNode out = write(job);
        ArrayNode list = out.putArray("errors");
        errors.forEach(e -> list.addObject().put("line", e.line()).put("field", e.field()).put("reason", e.reason()));
        if (nextErrorsAfter.isPresent()) {
            out.put("nextErrorsAfter", nextErrorsAfter.get());
        } else {
            out.putNull("nextErrorsAfter");
        }
        return out;
    }
}
