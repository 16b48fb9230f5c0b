package io.sequencer.adapters.json.stored;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.engine.imports.ImportJob;
import io.sequencer.engine.imports.ImportPage;
import io.sequencer.engine.imports.ImportRow;
import io.sequencer.engine.imports.RowError;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An import as table rows: the job (its counts, the CSV header as chunked {@code columns}, an optional
 * {@code failure}), each staged page (its rows as chunked JSON {@code rows}, attributes in their stored form) and
 * each row error ({@code line}, {@code field}, {@code reason}).
 */
public final class StoredImport {
    private StoredImport() {}

    public static Map<String, Object> writeJob(ImportJob job) {
        ArrayNode columns = Json.MAPPER.createArrayNode();
        job.columns().forEach(columns::add);
        return new RowWriter()
                .put("format", job.format())
                .put("welcome", job.welcome())
                .putChunked("columns", Json.write(columns))
                .put("partsReceived", job.partsReceived())
                .put("lastPartReceived", job.lastPartReceived())
                .put("linesRead", job.linesRead())
                .put("rowsReceived", job.rowsReceived())
                .put("pagesStaged", job.pagesStaged())
                .put("pagesDone", job.pagesDone())
                .put("rowsImported", job.rowsImported())
                .put("rowsFailed", job.rowsFailed())
                .put("failure", job.failure())
                .put("createdAt", job.createdAt().toString())
                .put("updatedAt", job.updatedAt().toString())
                .properties();
    }

    public static ImportJob readJob(String account, String importId, Map<String, Object> properties) {
        StoredRow row = new StoredRow("import " + account + "/" + importId, properties);
        List<String> columns = StoredNode.parse(row.what(), "columns", row.chunked("columns")).elements().stream()
                .map(StoredNode::text).toList();
        return new ImportJob(account, importId, row.text("format"), row.flag("welcome", false), columns,
                row.small("partsReceived"), row.flag("lastPartReceived", false), row.whole("linesRead"),
                row.whole("rowsReceived"), row.small("pagesStaged"), row.small("pagesDone"), row.whole("rowsImported"),
                row.whole("rowsFailed"), row.optionalText("failure"), row.instant("createdAt"),
                row.instant("updatedAt"));
    }

    public static Map<String, Object> writePage(ImportPage page) {
        ArrayNode rows = Json.MAPPER.createArrayNode();
        for (ImportRow r : page.rows()) {
            ObjectNode out = rows.addObject().put("line", r.line()).put("subscriberId", r.subscriberId());
            r.timezone().ifPresent(zone -> out.put("timezone", zone.getId()));
            if (!r.attributes().isEmpty()) {
                ObjectNode attributes = out.putObject("attributes");
                r.attributes().forEach((name, value) -> attributes.set(name,
                        value.map(StoredCondition::writeValue).orElse(Json.MAPPER.nullNode())));
            }
            if (!r.sequences().isEmpty()) {
                ArrayNode sequences = out.putArray("sequences");
                r.sequences().forEach(sequences::add);
            }
        }
        return new RowWriter().put("number", page.number()).putChunked("rows", Json.write(rows)).properties();
    }

    public static ImportPage readPage(String what, Map<String, Object> properties) {
        StoredRow row = new StoredRow(what, properties);
        List<ImportRow> rows = new ArrayList<>();
        for (StoredNode r : StoredNode.parse(what, "rows", row.chunked("rows")).elements()) {
            Map<String, Optional<AttributeValue>> attributes = new LinkedHashMap<>();
            r.optionalChild("attributes").ifPresent(node -> node.json().fieldNames().forEachRemaining(name ->
                    attributes.put(name, node.json().get(name).isNull() ? Optional.empty()
                            : Optional.of(StoredCondition.readValue(node.child(name))))));
            List<String> sequences = r.optionalChild("sequences").map(StoredNode::elements).orElse(List.of())
                    .stream().map(StoredNode::text).toList();
            rows.add(new ImportRow(r.whole("line"), r.text("subscriberId"),
                    r.optionalText("timezone").map(ZoneId::of), attributes, sequences));
        }
        return new ImportPage(row.small("number"), rows);
    }

    public static Map<String, Object> writeError(RowError error) {
        return new RowWriter().put("line", error.line()).put("field", error.field()).put("reason", error.reason())
                .properties();
    }

    public static RowError readError(String what, Map<String, Object> properties) {
        StoredRow row = new StoredRow(what, properties);
        return new RowError(row.whole("line"), row.text("field"), row.text("reason"));
    }
}
