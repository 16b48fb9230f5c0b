package io.sequencer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sequencer.adapters.json.Json;
import io.sequencer.testing.Azurite;
import io.sequencer.testing.LocalHostFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/TOUR.md runs as written: its bash blocks, pasted in order into a shell in the project folder, against the
 * local host, each answer with the status and the fields of the {@code # 201 {...}} comment under its command.
 */
class TourIT {
    private static final Path TOUR = Path.of(System.getProperty("sequencer.projectDir", "."), "docs", "TOUR.md");
    /** Where the tour says ./run serves; replaced by the test host's address. */
    private static final String TOUR_ORIGIN = "http://127.0.0.1:7071";
    private static final Pattern EXPECTED = Pattern.compile("^# (\\d{3})(?: (.*))?$");
    private static final Pattern FIELD =
            Pattern.compile("\"([A-Za-z]+)\":(\"(?:[^\"\\\\]|\\\\.)*\"|-?\\d+(?:\\.\\d+)?|true|false|null|\\[|\\{)");
    /** Deliveries are asynchronous: a read that does not show them yet is asked again, up to this long. */
    private static final Duration SETTLE = Duration.ofSeconds(30);
    /** Printed by the test's curl after the body, so the status can be told from it. */
    private static final String STATUS_MARK = "\n@@status ";

    @TempDir
    Path shell;

    /** One command of the tour (with the lines before it, such as a sleep) and the answer shown under it. */
    record Step(String commands, int status, String expected) {}

    @Test
    void every_command_of_the_tour_answers_as_shown() throws Exception {
        List<Step> steps = steps(Files.readString(TOUR));
        assertThat(steps).as("the tour's commands").hasSizeGreaterThan(10);
        Files.createDirectories(shell.resolve(".sequencer"));
        Files.writeString(shell.resolve(".sequencer/admin.key"), LocalHostFixture.FUNCTION_KEY + "\n");
        try (Azurite storage = Azurite.startPrivate(); // its own account data: the tour's "everyone" is the tour's
             LocalHostFixture host = LocalHostFixture.start(Map.of("AzureWebJobsStorage", storage.connectionString(),
                     "SEQ_ACME__HOOK_SECRET", "tour-secret-0123456789"), hostJson -> { })) {
            String setup = setup(Files.readString(TOUR), host.baseUrl());
            SoftAssertions softly = new SoftAssertions();
            for (Step shown : steps) {
                Step step = new Step(shown.commands(), shown.status(), shown.expected().replace(TOUR_ORIGIN, host.baseUrl()));
                String commands = step.commands().replace(TOUR_ORIGIN, host.baseUrl());
                Instant deadline = Instant.now().plus(SETTLE);
                String answer = run(setup + commands);
                while (!matches(step, answer) && isRead(commands) && Instant.now().isBefore(deadline)) {
                    Thread.sleep(500);
                    answer = run(setup + lastCommand(commands));
                }
                softly.assertThat(matches(step, answer)).as("%s%nanswered%n%s", commands, answer).isTrue();
            }
            softly.assertAll();
        }
    }

    /** The tour's bash blocks, cut after each expected answer; assignments stay in {@link #setup}. */
    static List<Step> steps(String markdown) {
        List<Step> steps = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String block : bashBlocks(markdown)) {
            for (String line : block.split("\n")) {
                Matcher expected = EXPECTED.matcher(line);
                if (expected.matches()) {
                    steps.add(new Step(pending.toString(), Integer.parseInt(expected.group(1)),
                            expected.group(2) == null ? "" : expected.group(2)));
                    pending.setLength(0);
                } else if (!isAssignment(line)) {
                    pending.append(line).append('\n');
                }
            }
        }
        assertThat(pending.toString().replaceAll("(?m)^(kill|sleep).*$", "").trim())
                .as("a command without the answer it gives").isEmpty();
        return steps;
    }

    private static List<String> bashBlocks(String markdown) {
        Matcher blocks = Pattern.compile("(?s)```bash\n(.*?)```").matcher(markdown);
        List<String> found = new ArrayList<>();
        while (blocks.find()) {
            found.add(blocks.group(1));
        }
        return found;
    }

    private static boolean isAssignment(String line) {
        return line.matches("[A-Z_]+=.*");
    }

    /** The tour's variable assignments, and a curl that also prints the status: what every step runs after. */
    private static String setup(String markdown, String baseUrl) {
        String assignments = bashBlocks(markdown).stream().flatMap(b -> b.lines()).filter(TourIT::isAssignment)
                .map(line -> line.replace(TOUR_ORIGIN, baseUrl)).collect(Collectors.joining("\n"));
        return "set -e\ncurl() { command curl --silent --show-error --write-out '" + STATUS_MARK.replace("\n", "\\n")
                + "%{http_code}' \"$@\"; }\n" + assignments + "\n";
    }

    /** A read of the receiver or of a state: asking again changes nothing. */
    private static boolean isRead(String commands) {
        String last = lastCommand(commands);
        return last.startsWith("curl ") && !last.contains("-X ");
    }

    private static String lastCommand(String commands) {
        List<String> lines = commands.lines().filter(l -> !l.isBlank()).toList();
        int start = lines.size() - 1;
        while (start > 0 && lines.get(start - 1).endsWith("\\")) {
            start--;
        }
        return String.join("\n", lines.subList(start, lines.size()));
    }

    private String run(String script) throws IOException, InterruptedException {
        Process bash = new ProcessBuilder("bash", "-c", script).directory(shell.toFile()).redirectErrorStream(true).start();
        if (!bash.waitFor(2, TimeUnit.MINUTES)) {
            bash.destroyForcibly();
            throw new AssertionError("the tour's command did not end:\n" + script);
        }
        return new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** The status is the one shown, and every field the comment names has the value shown, wherever it is. */
    static boolean matches(Step step, String answer) {
        int mark = answer.lastIndexOf(STATUS_MARK);
        if (mark < 0 || !answer.substring(mark + STATUS_MARK.length()).trim().equals(Integer.toString(step.status()))) {
            return false;
        }
        String body = answer.substring(0, mark);
        if (step.expected().isEmpty()) {
            return true;
        }
        JsonNode actual;
        try {
            actual = Json.read(body);
        } catch (RuntimeException notJson) {
            return false;
        }
        Matcher field = FIELD.matcher(step.expected());
        while (field.find()) {
            String name = field.group(1);
            String value = field.group(2);
            if (!actual.findValues(name).stream().anyMatch(found -> same(value, found))) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(String shown, JsonNode found) {
        if (shown.equals("[")) {
            return found.isArray();
        }
        if (shown.equals("{")) {
            return found.isObject();
        }
        if (shown.startsWith("\"")) {
            String text = Json.read(shown).asText();
            return found.isTextual() && (text.contains("...") ? found.asText().startsWith(text.substring(0, text.indexOf("...")))
                    : found.asText().equals(text));
        }
        if (shown.equals("null")) {
            return found.isNull();
        }
        if (shown.equals("true") || shown.equals("false")) {
            return found.isBoolean() && found.asBoolean() == Boolean.parseBoolean(shown);
        }
        return found.isNumber() && found.decimalValue().compareTo(new java.math.BigDecimal(shown)) == 0;
    }
}
