package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One page of an export as text: NDJSON (each item as the API shows it, one per line) or CSV (RFC 4180, a header
 * and a record per item; nested values as JSON text, and text a spreadsheet would run as a formula prefixed with
 * {@code '}).
 */
public final class ExportLines {
    private ExportLines() {}

    public static String ndjson(List<ObjectNode> items) {
        StringBuilder out = new StringBuilder();
        for (ObjectNode item : items) {
            out.append(Json.write(item)).append('\n');
        }
        return out.toString();
    }

    public static String csv(List<String> columns, List<ObjectNode> items) {
        StringBuilder out = new StringBuilder(String.join(",", columns)).append("\r\n");
        for (ObjectNode item : items) {
            for (int i = 0; i < columns.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(cell(item.get(columns.get(i))));
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    private static String cell(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "";
        }
        String text = value.isTextual() ? guarded(value.textValue())
                : value.isContainerNode() ? Json.write(value) : value.asText();
        boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
                || text.indexOf('\r') >= 0;
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    private static String guarded(String text) {
        return !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }
}
