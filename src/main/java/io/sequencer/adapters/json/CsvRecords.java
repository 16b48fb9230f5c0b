package io.sequencer.adapters.json;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads CSV records (RFC 4180) from text one at a time, without copying the text: fields separated by commas,
 * records by CRLF or LF, a field in double quotes may hold commas, line breaks and doubled quotes. Blank lines are
 * skipped. A record that breaks the rules is returned with the reason, and reading goes on at the next line.
 */
final class CsvRecords {
    /** A record and the line it starts on; {@code problem} says why it could not be read (its fields are then partial). */
    record Record(long line, List<String> fields, Optional<String> problem) {}

    private final String text;
    private final long firstLine;
    private int pos;
    private long line;

    CsvRecords(String text, long firstLine) {
        this.text = text;
        this.firstLine = firstLine;
        this.line = firstLine;
        this.pos = text.startsWith("\uFEFF") ? 1 : 0;
    }

    /** Lines read so far (a last line without a line break counts). */
    long linesRead() {
        return line - firstLine;
    }

    /** The next record, or null at the end of the text. */
    Record next() {
        while (pos < text.length() && atLineBreak()) {
            skipLineBreak();
        }
        if (pos >= text.length()) {
            return null;
        }
        long start = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        while (true) {
            if (pos < text.length() && text.charAt(pos) == '"') {
                pos++;
                boolean closed = false;
                while (pos < text.length()) {
                    char c = text.charAt(pos);
                    if (c == '"') {
                        if (pos + 1 < text.length() && text.charAt(pos + 1) == '"') {
                            field.append('"');
                            pos += 2;
                            continue;
                        }
                        pos++;
                        closed = true;
                        break;
                    }
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                    pos++;
                }
                if (!closed) {
                    line++;
                    return new Record(start, fields, Optional.of("has a quoted field that is never closed"));
                }
                if (pos < text.length() && text.charAt(pos) != ',' && !atLineBreak()) {
                    return failed(start, fields, "has text after the closing quote of field " + (fields.size() + 1)
                            + " (a quote inside a field is written as two)");
                }
            } else {
                while (pos < text.length() && text.charAt(pos) != ',' && !atLineBreak()) {
                    char c = text.charAt(pos);
                    if (c == '"') {
                        return failed(start, fields, "has a quote inside unquoted field " + (fields.size() + 1)
                                + " (quote the field and write the quote as two)");
                    }
                    field.append(c);
                    pos++;
                }
            }
            fields.add(field.toString());
            field.setLength(0);
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
                continue;
            }
            if (pos < text.length()) {
                skipLineBreak();
            } else {
                line++;
            }
            return new Record(start, fields, Optional.empty());
        }
    }

    private Record failed(long start, List<String> fields, String problem) {
        while (pos < text.length() && !atLineBreak()) {
            pos++;
        }
        if (pos < text.length()) {
            skipLineBreak();
        } else {
            line++;
        }
        return new Record(start, fields, Optional.of(problem));
    }

    private boolean atLineBreak() {
        char c = text.charAt(pos);
        return c == '\n' || c == '\r' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n';
    }

    private void skipLineBreak() {
        pos += text.charAt(pos) == '\r' ? 2 : 1;
        line++;
    }
}
