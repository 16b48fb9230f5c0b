package io.sequencer.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sequencer.domain.Invalid;
import io.sequencer.domain.subscriber.AttributeValue;
import io.sequencer.engine.imports.ImportFile;
import io.sequencer.engine.imports.ImportLine;
import io.sequencer.engine.imports.ImportRow;
import io.sequencer.engine.imports.RowError;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading an import's file: CSV by RFC 4180 and NDJSON, each bad row reported with its line. */
class ImportFormatsTest {

    private static List<ImportLine> read(ImportFile.Lines lines) {
        List<ImportLine> out = new ArrayList<>();
        lines.forEachRemaining(out::add);
        return out;
    }

    private static ImportFile.Lines csv(String text) {
        return ImportFormats.part(ImportFormats.Format.CSV, text).open(List.of(), 1);
    }

    private static Optional<AttributeValue> text(String value) {
        return Optional.of(new AttributeValue.Text(value));
    }

    @Test
    void csv_fields_may_be_quoted_to_hold_commas_quotes_and_line_breaks() {
        ImportFile.Lines lines = csv("subscriberId,timezone,attributes.note,sequences\r\n"
                + "ann,Europe/Paris,\"likes tea, not coffee\",welcome;nurture\r\n"
                + "\"bob\",,\"said \"\"hi\"\"\nthen left\",\r\n"
                + "cat,,,\n");
        List<ImportLine> read = read(lines);

        assertThat(read).containsExactly(
                new ImportRow(2, "ann", Optional.of(ZoneId.of("Europe/Paris")), Map.of("note", text("likes tea, not coffee")),
                        List.of("welcome", "nurture")),
                new ImportRow(3, "bob", Optional.empty(), Map.of("note", text("said \"hi\"\nthen left")), List.of()),
                new ImportRow(5, "cat", Optional.empty(), Map.of(), List.of()));
        assertThat(lines.linesRead()).as("a quoted line break is a line of the file").isEqualTo(5);
        assertThat(lines.columns()).containsExactly("subscriberId", "timezone", "attributes.note", "sequences");
    }

    @Test
    void a_bad_csv_record_is_reported_with_its_line_and_the_next_is_read() {
        List<ImportLine> read = read(csv("subscriberId,timezone\n"
                + "a\"b,UTC\n"
                + "\"ann\"x,UTC\n"
                + "ann,UTC,extra\n"
                + "bad id,UTC\n"
                + "bob,Mars/Olympus\n"
                + "\n"
                + "cat,UTC\n"
                + "\"dan,UTC\nstill open"));
        assertThat(read).extracting(ImportLine::line).containsExactly(2L, 3L, 4L, 5L, 6L, 8L, 9L);
        assertThat(((RowError) read.get(0)).reason()).contains("quote inside unquoted field 1");
        assertThat(((RowError) read.get(1)).reason()).contains("after the closing quote");
        assertThat(((RowError) read.get(2)).reason()).isEqualTo("has 3 fields; the header has 2");
        assertThat(((RowError) read.get(3)).field()).isEqualTo("subscriberId");
        assertThat(((RowError) read.get(4)).field()).isEqualTo("timezone");
        assertThat(read.get(5)).isEqualTo(new ImportRow(8, "cat", Optional.of(ZoneId.of("UTC")), Map.of(), List.of()));
        assertThat(((RowError) read.get(6)).reason()).contains("never closed");
    }

    @Test
    void a_csv_header_must_name_known_columns_once_and_the_subscriber_id() {
        assertThatThrownBy(() -> csv("subscriberId,email\nann,a@example.com\n")).isInstanceOf(Invalid.class)
                .satisfies(e -> assertThat(((Invalid) e).errors().get(0).field()).isEqualTo("header"))
                .hasMessageContaining("unknown column 'email'");
        assertThatThrownBy(() -> csv("timezone\nUTC\n")).isInstanceOf(Invalid.class)
                .hasMessageContaining("subscriberId");
        assertThatThrownBy(() -> csv("subscriberId,subscriberId\n")).isInstanceOf(Invalid.class)
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> csv("")).isInstanceOf(Invalid.class).hasMessageContaining("missing");
    }

    @Test
    void a_later_csv_part_reads_with_the_first_parts_header_and_counts_lines_on() {
        ImportFile.Lines first = csv("\uFEFFsubscriberId,attributes.plan\nann,gold\n");
        read(first);
        ImportFile.Lines second = ImportFormats.part(ImportFormats.Format.CSV, "bob,silver\r\ncat,\r\n")
                .open(first.columns(), 1 + first.linesRead());
        assertThat(read(second)).containsExactly(
                new ImportRow(3, "bob", Optional.empty(), Map.of("plan", text("silver")), List.of()),
                new ImportRow(4, "cat", Optional.empty(), Map.of(), List.of()));
        assertThat(second.linesRead()).isEqualTo(2);
    }

    @Test
    void ndjson_rows_carry_typed_attributes_and_bad_lines_are_reported_by_line() {
        ImportFile.Lines lines = ImportFormats.part(ImportFormats.Format.NDJSON, """
                {"subscriberId":"ann","timezone":"Asia/Tokyo","attributes":{"age":41,"vip":true},"sequences":["welcome"]}

                {"subscriberId":"bob"
                ["not","an","object"]
                {"subscriberId":"cat","email":"c@example.com"}
                {"subscriberId":"dan","sequences":["ok","not ok"]}
                {"subscriberId":"eve","attributes":{"plan":null}}
                {"subscriberId":"fay"}""").open(List.of(), 10);
        List<ImportLine> read = read(lines);
        assertThat(read.get(0)).isEqualTo(new ImportRow(10, "ann", Optional.of(ZoneId.of("Asia/Tokyo")),
                Map.of("age", Optional.of(new AttributeValue.Number(new BigDecimal("41"))),
                        "vip", Optional.of(new AttributeValue.Flag(true))), List.of("welcome")));
        assertThat(read.subList(1, 6)).allMatch(l -> l instanceof RowError).extracting(ImportLine::line)
                .containsExactly(12L, 13L, 14L, 15L, 16L);
        assertThat(((RowError) read.get(1)).reason()).startsWith("is not valid JSON");
        assertThat(((RowError) read.get(2)).reason()).isEqualTo("must be a JSON object");
        assertThat(((RowError) read.get(3)).field()).isEqualTo("email");
        assertThat(((RowError) read.get(4)).field()).isEqualTo("sequences[1]");
        assertThat(((RowError) read.get(5)).field()).isEqualTo("attributes.plan");
        assertThat(read.get(6)).isEqualTo(new ImportRow(17, "fay", Optional.empty(), Map.of(), List.of()));
        assertThat(lines.linesRead()).isEqualTo(8);
    }
}
