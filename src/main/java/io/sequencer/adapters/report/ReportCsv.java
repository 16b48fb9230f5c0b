package io.sequencer.adapters.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * A report as CSV (RFC 4180) in long form, one figure a row: {@code section,step_id,day,metric,value}. It is written
 * from the report's JSON, so the two always carry the same figures; nested figures are dotted
 * ({@code failed.transient}), and so are the entries of a list by their id ({@code variants.a.converted}). Text a
 * spreadsheet would run as a formula is prefixed with {@code '}.
 */
public final class ReportCsv {
    public static final String MEDIA_TYPE = "text/csv; charset=utf-8";
    public static final String HEADER = "section,step_id,day,metric,value";

    private ReportCsv() {}

    public static String write(ObjectNode report) {
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (Iterator<Map.Entry<String, JsonNode>> fields = report.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "steps" -> value.forEach(step -> rows(csv, "step", step.get("stepId").asText(), "", "", step, "stepId"));
                case "days" -> value.forEach(day -> rows(csv, "day", "", day.get("day").asText(), "", day, "day"));
                default -> {
                    if (value.isObject()) {
                        rows(csv, field.getKey(), "", "", "", value, null);
                    } else {
                        row(csv, "report", "", "", field.getKey(), value);
                    }
                }
            }
        }
        return csv.toString();
    }

    private static void rows(StringBuilder csv, String section, String stepId, String day, String prefix, JsonNode node,
                             String keyField) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals(keyField)) {
                continue;
            }
            if (field.getValue().isObject()) {
                rows(csv, section, stepId, day, prefix + field.getKey() + ".", field.getValue(), null);
            } else if (field.getValue().isArray()) {
                for (JsonNode entry : field.getValue()) {
                    rows(csv, section, stepId, day, prefix + field.getKey() + "." + entry.path("id").asText() + ".",
                            entry, "id");
                }
            } else {
                row(csv, section, stepId, day, prefix + field.getKey(), field.getValue());
            }
        }
    }

    private static void row(StringBuilder csv, String section, String stepId, String day, String metric, JsonNode value) {
        String text = value.isNull() ? "" : value.isTextual() ? guarded(value.textValue()) : value.asText();
        csv.append(cell(section)).append(',').append(cell(stepId)).append(',').append(cell(day)).append(',')
                .append(cell(metric)).append(',').append(cell(text)).append("\r\n");
    }

    /** Text that begins like a formula is kept as text. */
    private static String guarded(String text) {
        return !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }

    private static String cell(String text) {
        boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
                || text.indexOf('\r') >= 0;
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}
