package io.sequencer.adapters.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.domain.FieldError;
import io.sequencer.domain.Invalid;
import io.sequencer.engine.imports.ImportFile;
import io.sequencer.engine.imports.ImportLine;
import io.sequencer.engine.imports.RowError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/** The readers of {@link ImportFormats}: a part's records, one at a time, as rows checked by one rule. */
final class ImportReaders {
    private ImportReaders() {}

    /** An iterator that computes its next element on demand: null from {@link #advance()} ends it. */
    abstract static class Reading implements ImportFile.Lines {
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

    static final class NdjsonLines extends Reading {
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
                    return ImportFormats.row(Json.MAPPER.readTree(content), line);
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

    static final class CsvLines extends Reading {
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
                    attributes.put(column.substring(ImportFormats.ATTRIBUTE_COLUMN.length()), value);
                }
            }
            if (!attributes.isEmpty()) {
                row.set("attributes", attributes);
            }
            return ImportFormats.row(row, record.line());
        }

        private static List<String> header(List<String> names) {
            List<String> columns = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            List<FieldError> errors = new ArrayList<>();
            for (String raw : names) {
                String name = raw.strip();
                boolean known = name.equals("subscriberId") || name.equals("timezone") || name.equals("sequences")
                        || name.startsWith(ImportFormats.ATTRIBUTE_COLUMN) && name.length() > ImportFormats.ATTRIBUTE_COLUMN.length();
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
