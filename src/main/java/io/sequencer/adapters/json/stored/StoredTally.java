package io.sequencer.adapters.json.stored;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.report.Tally;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

/**
 * One writer's counts of one sequence for one day, as a table row: {@code day} and chunked {@code counts} (a JSON
 * object of whole numbers by name). Version 0 rows (no {@code v}) hold the same properties.
 */
public final class StoredTally {
    private StoredTally() {}

    public static Map<String, Object> write(LocalDate day, Tally counts) {
        ObjectNode json = Json.object();
        new TreeMap<>(counts.counts()).forEach(json::put);
        return new RowWriter().put("day", day.toString()).putChunked("counts", Json.write(json)).properties();
    }

    /** The day a row counts; {@code row} (its key) names it in errors. */
    public static LocalDate day(String row, Map<String, Object> properties) {
        StoredRow stored = new StoredRow("tally " + row, properties);
        return stored.parse("day", stored.text("day"), LocalDate::parse);
    }

    public static Tally counts(String row, Map<String, Object> properties) {
        StoredRow stored = new StoredRow("tally " + row, properties);
        StoredNode json = StoredNode.parse(stored.what(), "counts", stored.chunked("counts"));
        Map<String, Long> counts = new TreeMap<>();
        json.json().fieldNames().forEachRemaining(name -> counts.put(name, json.whole(name)));
        return new Tally(counts);
    }
}
