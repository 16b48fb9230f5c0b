package io.sequencer.adapters.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.domain.FieldError;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.engine.imports.ImportFile;
import io.sequencer.engine.imports.ImportLine;
import io.sequencer.engine.imports.ImportRow;
import io.sequencer.engine.imports.RowError;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    static final String ATTRIBUTE_COLUMN = "attributes.";

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
        return (columns, firstLine) -> format == Format.CSV ? new ImportReaders.CsvLines(text, columns, firstLine)
                : new ImportReaders.NdjsonLines(text, firstLine);
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
}
