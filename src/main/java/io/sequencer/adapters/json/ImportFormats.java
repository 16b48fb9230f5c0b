package io.sequencer.adapters.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.FieldError;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.engine.imports.ImportFile;
import io.sequencer.engine.imports.ImportLine;
import io.sequencer.engine.imports.ImportRow;
import io.sequencer.engine.imports.RowError;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * The formats an import's file may come in, read record by record into rows checked as the API checks a profile.
 * NDJSON: one JSON object per line, {@code {"subscriberId", "timezone"?, "attributes"?, "sequences"?}}. CSV
 * (RFC 4180): a header naming the columns {@code subscriberId}, {@code timezone}, {@code sequences} (ids separated by
 * {@code ;}) and {@code attributes.<name>} (text values; an empty cell sets nothing), then one record per row. A CSV
 * row becomes the same JSON object, so both formats are checked by one rule and name the same fields.
 */
public final class ImportFormats {
    private static final Set<String> FIELDS = Set.of("subscriberId", "timezone", "attributes", "sequences");
    private static final String ATTRIBUTE_COLUMN = "attributes.";

    /** A format, by the name the API uses for it. */
    public enum Format {
        CSV("text/csv"), NDJSON("application/x-ndjson");

        private final String mediaType;

        Format(String mediaType) {
            this.mediaType = mediaType;
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String mediaType() {
            return mediaType;
        }

        /** The format named {@code name} ({@code csv} or {@code ndjson}). */
        public static Optional<Format> fromWireName(String name) {
            for (Format format : values()) {
                if (format.wireName().equals(name)) {
                    return Optional.of(format);
                }
            }
            return Optional.empty();
        }
    }

    private ImportFormats() {}

    /** A part of a file in {@code format}, read when the import opens it. */
    public static ImportFile part(Format format, String text) {
        return (columns, firstLine) -> format == Format.CSV ? new CsvLines(text, columns, firstLine)
                : new NdjsonLines(text, firstLine);
    }

    /** Checks one row, given as the JSON object NDJSON carries (a CSV record is turned into one first). */
    static ImportLine row(JsonNode node, long line) {
        if (!node.isObject()) {
            return new RowError(line, "line", "must be a JSON object");
        }
        FieldReader in = new FieldReader();
        in.rejectUnknown(node, "", FIELDS);
        String id = in.id(node, "subscriberId", "subscriberId");
        Optional<ZoneId> timezone = TimingJson.timezone(node, "timezone", "timezone", in);
        JsonNode attributesNode = node.get("attributes");
        Map<String, Optional<AttributeValue>> attributes = attributesNode == null || attributesNode.isNull()
                ? Map.of() : AttributesJson.parse(attributesNode, "attributes", in, false);
        List<String> sequences = sequences(node.get("sequences"), in);
        try {
            in.throwIfInvalid();
        } catch (Invalid invalid) {
            FieldError first = invalid.errors().get(0);
            return new RowError(line, first.field(), first.reason());
        }
        return new ImportRow(line, id, timezone, attributes == null ? Map.of() : attributes, sequences);
    }

    private static List<String> sequences(JsonNode node, FieldReader in) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > ImportRow.MAX_SEQUENCES) {
            in.fail("sequences", "must be an array of at most " + ImportRow.MAX_SEQUENCES + " sequence ids");
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "sequences[" + i + "]";
            String id = node.get(i).isTextual() ? node.get(i).textValue() : null;
            Optional<String> problem = id == null ? Optional.of("must be a sequence id (a string)")
                    : io.sequencer.domain.Ids.problemWith(id);
            if (problem.isPresent()) {
                in.fail(path, problem.get());
            } else {
                ids.add(id);
            }
        }
        return List.copyOf(ids);
    }

    /** An iterator that computes its next element on demand: null from {@link #advance()} ends it. */
    private abstract static class Reading implements ImportFile.Lines {
        private ImportLine pending;
        private boolean ended;

        abstract ImportLine advance();

        @Override
        public boolean hasNext() {
            if (pending == null && !ended) {
                pending = advance();
                ended = pending == null;
            }
            return pending != null;
        }

        @Override
        public ImportLine next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ImportLine line = pending;
            pending = null;
            return line;
        }
    }

    private static final class NdjsonLines extends Reading {
        private final String text;
        private final long firstLine;
        private int pos;
        private long line;

        NdjsonLines(String text, long firstLine) {
            this.text = text;
            this.firstLine = firstLine;
            this.line = firstLine - 1;
            this.pos = text.startsWith("\uFEFF") ? 1 : 0;
        }

        @Override
        ImportLine advance() {
            while (pos < text.length()) {
                int end = text.indexOf('\n', pos);
                int stop = end < 0 ? text.length() : end;
                String content = text.substring(pos, stop).strip();
                pos = stop + 1;
                line++;
                if (content.isEmpty()) {
                    continue;
                }
                try {
                    return row(Json.MAPPER.readTree(content), line);
                } catch (JsonProcessingException e) {
                    return new RowError(line, "line", "is not valid JSON: " + e.getOriginalMessage());
                }
            }
            return null;
        }

        @Override
        public List<String> columns() {
            return List.of();
        }

        @Override
        public long linesRead() {
            return line - firstLine + 1;
        }
    }

    private static final class CsvLines extends Reading {
        private final CsvRecords records;
        private List<String> columns;

        CsvLines(String text, List<String> columns, long firstLine) {
            this.records = new CsvRecords(text, firstLine);
            this.columns = columns;
            if (columns.isEmpty()) {
                CsvRecords.Record header = records.next();
                if (header == null || header.problem().isPresent()) {
                    throw new Invalid("header", header == null ? "is missing: the first line names the columns"
                            : "cannot be read: it " + header.problem().get());
                }
                this.columns = header(header.fields());
            }
        }

        @Override
        ImportLine advance() {
            CsvRecords.Record record = records.next();
            if (record == null) {
                return null;
            }
            if (record.problem().isPresent()) {
                return new RowError(record.line(), "line", record.problem().get());
            }
            if (record.fields().size() != columns.size()) {
                return new RowError(record.line(), "line", "has " + record.fields().size() + " fields; the header has "
                        + columns.size());
            }
            ObjectNode row = Json.object();
            ObjectNode attributes = Json.object();
            for (int i = 0; i < columns.size(); i++) {
                String column = columns.get(i);
                String value = record.fields().get(i);
                if (column.equals("subscriberId")) {
                    row.put(column, value);
                } else if (value.isEmpty()) {
                    continue;
                } else if (column.equals("timezone")) {
                    row.put(column, value);
                } else if (column.equals("sequences")) {
                    ArrayNode sequences = row.putArray("sequences");
                    for (String id : value.split(";")) {
                        if (!id.isBlank()) {
                            sequences.add(id.strip());
                        }
                    }
                } else {
                    attributes.put(column.substring(ATTRIBUTE_COLUMN.length()), value);
                }
            }
            if (!attributes.isEmpty()) {
                row.set("attributes", attributes);
            }
            return row(row, record.line());
        }

        private static List<String> header(List<String> names) {
            List<String> columns = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            List<FieldError> errors = new ArrayList<>();
            for (String raw : names) {
                String name = raw.strip();
                boolean known = name.equals("subscriberId") || name.equals("timezone") || name.equals("sequences")
                        || name.startsWith(ATTRIBUTE_COLUMN) && name.length() > ATTRIBUTE_COLUMN.length();
                if (!known) {
                    errors.add(new FieldError("header", "names an unknown column '" + name + "': columns are"
                            + " subscriberId, timezone, sequences and attributes.<name>"));
                } else if (!seen.add(name)) {
                    errors.add(new FieldError("header", "names column '" + name + "' twice"));
                }
                columns.add(name);
            }
            if (!seen.contains("subscriberId")) {
                errors.add(new FieldError("header", "must name the column subscriberId"));
            }
            if (!errors.isEmpty()) {
                throw new Invalid(errors);
            }
            return columns;
        }

        @Override
        public List<String> columns() {
            return columns;
        }

        @Override
        public long linesRead() {
            return records.linesRead();
        }
    }
}
