package io.sequencer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The figures of one harness run, printed as a table and written as Markdown beside the chart. */
final class BenchReport {
    record Row(String figure, String measured, String against, String target) {}

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void add(String figure, String measured, String against, String target) {
        rows.add(new Row(figure, measured, against, target));
    }

    void note(String line) {
        notes.add(line);
    }

    String text() {
        int[] widths = {6, 8, 7, 6};
        for (Row r : rows) {
            widths[0] = Math.max(widths[0], r.figure().length());
            widths[1] = Math.max(widths[1], r.measured().length());
            widths[2] = Math.max(widths[2], r.against().length());
            widths[3] = Math.max(widths[3], r.target().length());
        }
        String format = "%-" + widths[0] + "s | %-" + widths[1] + "s | %-" + widths[2] + "s | %s%n";
        StringBuilder out = new StringBuilder(String.format(format, "figure", "measured", "against", "target"));
        out.append("-".repeat(widths[0] + widths[1] + widths[2] + widths[3] + 9)).append('\n');
        rows.forEach(r -> out.append(String.format(format, r.figure(), r.measured(), r.against(), r.target())));
        notes.forEach(n -> out.append("* ").append(n).append('\n'));
        return out.toString();
    }

    String markdown(String machine, String command) {
        StringBuilder md = new StringBuilder();
        md.append("Machine: ").append(machine).append("  \nCommand: `").append(command).append("`\n\n");
        md.append("| figure | measured: median (min-max) | against | target |\n| --- | --- | --- | --- |\n");
        rows.forEach(r -> md.append("| ").append(r.figure()).append(" | ").append(r.measured()).append(" | ")
                .append(r.against()).append(" | ").append(r.target()).append(" |\n"));
        md.append('\n');
        notes.forEach(n -> md.append("* ").append(n).append('\n'));
        return md.toString();
    }

    void write(Path file, String machine, String command) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, markdown(machine, command));
    }
}
