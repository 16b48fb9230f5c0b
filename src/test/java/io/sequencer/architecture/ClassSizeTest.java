package io.sequencer.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No class under {@code src/main} runs past {@value #LIMIT} lines unless its opening comment says why: a class that
 * long usually holds more than one job, and the next reader should either find it split or find the reason it is
 * not. A class is counted from its opening comment to its last line (the package line and the imports are not the
 * class); the reason is a sentence of the opening comment that names the limit ("... past 250 lines because ...").
 */
class ClassSizeTest {
    static final int LIMIT = 250;
    private static final Path ROOT = Path.of(System.getProperty("sequencer.projectDir", "."));
    private static final Pattern OPENING = Pattern.compile(
            "(?m)^(/\\*\\*[\\s\\S]*?\\*/\\s*\\n)?(?:@[\\w.]+(?:\\([^)]*\\))?\\s*\\n)*"
                    + "(?:public |abstract |final |sealed |non-sealed )*(?:class|interface|record|enum) \\w+");

    @Test
    void every_class_over_the_limit_says_why_in_its_opening_comment() throws IOException {
        List<String> unexplained = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(ROOT.resolve("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher opening = OPENING.matcher(source);
                if (!opening.find()) {
                    continue; // package-info and the like: no class to measure
                }
                scanned++;
                int lines = classLines(source, opening.start());
                String comment = opening.group(1) == null ? "" : opening.group(1);
                if (lines > LIMIT && !explainsLength(comment)) {
                    unexplained.add(ROOT.relativize(file) + " (" + lines + " lines)");
                }
            }
        }
        assertThat(scanned).as("classes scanned (the scan reads the sources)").isGreaterThan(100);
        assertThat(unexplained).as("classes over " + LIMIT + " lines whose opening comment does not say why").isEmpty();
    }

    @Test
    void the_count_starts_at_the_opening_comment_and_the_reason_must_name_the_limit() {
        String body = "x\n".repeat(LIMIT);
        String source = "package p;\n\nimport a.B;\n\n/** Does one thing. */\nfinal class Long {\n" + body + "}\n";
        Matcher opening = OPENING.matcher(source);
        assertThat(opening.find()).isTrue();
        assertThat(classLines(source, opening.start())).isEqualTo(LIMIT + 3);
        assertThat(explainsLength(opening.group(1))).isFalse();
        assertThat(explainsLength("/** Does one thing. It runs past 250 lines because the steps read in order. */"))
                .isTrue();
    }

    /** Lines from {@code start} (the opening comment, or the declaration) to the end of the file. */
    static int classLines(String source, int start) {
        String cls = source.substring(start).stripTrailing();
        return (int) cls.lines().count();
    }

    static boolean explainsLength(String comment) {
        return comment.contains(LIMIT + " lines");
    }
}
