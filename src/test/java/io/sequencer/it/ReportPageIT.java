package io.sequencer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sequencer.adapters.report.ReportPage;
import io.sequencer.domain.report.SequenceReport;
import io.sequencer.testing.HeadlessChromium;
import io.sequencer.testing.HeadlessChromium.Box;
import io.sequencer.testing.HeadlessChromium.Element;
import io.sequencer.testing.HeadlessChromium.Rendering;
import io.sequencer.testing.SampleReports;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The report page in a real browser: it loads without a single error (so its policy, markup and escaping hold), and
 * what it draws is a page worth reading, charts included. The screenshot is kept as {@code target/report-page.png}.
 */
class ReportPageIT {
    private static final Duration LOAD = Duration.ofSeconds(30);
    private static final int WIDTH = 1280;
    private static final Path TARGET = Path.of(System.getProperty("sequencer.projectDir", ".")).resolve("target");
    private static HeadlessChromium chromium;

    @BeforeAll
    static void start() {
        chromium = HeadlessChromium.start(WIDTH, 900);
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void a_month_of_a_campaign_renders_without_errors_with_both_charts_drawn() throws IOException {
        Rendering rendering = chromium.render(write("report-page.html", SampleReports.campaign("Spring onboarding", 30)),
                LOAD, "svg", "script", "table tbody tr");
        Files.write(TARGET.resolve("report-page.png"), rendering.png());

        assertThat(rendering.errors()).as("errors the page caused").isEmpty();
        assertThat(rendering.elements("script")).isEmpty();
        assertThat(rendering.elements("table tbody tr")).as("a row per step, the removed one too").hasSize(6);

        BufferedImage screenshot = ImageIO.read(new ByteArrayInputStream(rendering.png()));
        assertThat(screenshot.getWidth()).isEqualTo(WIDTH);
        assertThat(screenshot.getHeight()).as("the whole page, not just the window").isGreaterThan(1500);
        Ink page = Ink.of(screenshot, new Box(0, 0, screenshot.getWidth(), screenshot.getHeight()));
        assertThat(page.colours()).as("distinct colours on the page").isGreaterThan(200);
        assertThat(page.nonWhiteShare()).as("share of the page that is not white").isGreaterThan(0.10);

        List<Element> charts = rendering.elements("svg");
        assertThat(charts).hasSize(2).allSatisfy(chart -> {
            Box box = chart.box().orElseThrow();
            assertThat(box.width()).as("chart width").isGreaterThan(900);
            assertThat(box.height()).as("chart height").isGreaterThan(250);
            Ink ink = Ink.of(screenshot, box);
            assertThat(ink.colours()).as("distinct colours in a chart").isGreaterThan(40);
            assertThat(ink.nonWhiteShare()).as("share of a chart that is drawn").isGreaterThan(0.04);
        });
        assertThat(charts.get(0).outerHtml()).contains("Funnel per step").contains("<rect");
        assertThat(charts.get(1).outerHtml()).contains("Sends per day").contains("<polyline");
    }

    @Test
    void an_ab_test_and_a_holdout_render_without_errors_with_their_conversions() throws IOException {
        Rendering rendering = chromium.render(write("ab-test.html", SampleReports.abTest("Trial offers")), LOAD,
                "svg", "script", "h3", "table");
        Files.write(TARGET.resolve("report-page-ab-test.png"), rendering.png());

        assertThat(rendering.errors()).as("errors the page caused").isEmpty();
        assertThat(rendering.elements("script")).isEmpty();
        assertThat(rendering.elements("h3")).singleElement().extracting(Element::outerHtml).asString()
                .contains("offer");
        assertThat(rendering.elements("table")).as("steps, conversions, the test").hasSize(3);
        assertThat(rendering.elements("table").get(2).outerHtml()).contains("significant", "the baseline");
    }

    @Test
    void markup_in_a_name_or_an_error_is_shown_as_text_and_never_run() throws IOException {
        String hostile = "<script>alert(1)</script> & \"x\"";
        Rendering rendering = chromium.render(write("hostile.html", SampleReports.campaign(hostile, 3)), LOAD,
                "script", "h1", "pre", "img");

        assertThat(rendering.errors()).isEmpty();
        assertThat(rendering.elements("script")).isEmpty();
        assertThat(rendering.elements("img")).isEmpty();
        assertThat(rendering.elements("h1")).singleElement().extracting(Element::outerHtml)
                .isEqualTo("<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"x\"</h1>");
        assertThat(rendering.elements("pre")).singleElement().extracting(Element::outerHtml).asString()
                .contains("&lt;html&gt;&lt;body&gt;Internal error&lt;/body&gt;&lt;/html&gt;");
    }

    static Stream<Arguments> spans() {
        return Stream.of(
                Arguments.of("no days", SampleReports.untouched("Never started")),
                Arguments.of("one day", SampleReports.campaign("One day", 1)),
                Arguments.of("a quiet week", SampleReports.quiet("Quiet", SampleReports.FIRST_DAY,
                        SampleReports.FIRST_DAY.plusDays(6))),
                Arguments.of("a whole year", SampleReports.campaign("A year", SequenceReport.MAX_DAYS)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spans")
    void any_span_of_days_renders_without_errors_and_lays_out_both_charts(String span, SequenceReport report)
            throws IOException {
        Rendering rendering = chromium.render(write("span.html", report), LOAD, "svg");

        assertThat(rendering.errors()).isEmpty();
        assertThat(rendering.elements("svg")).hasSize(2)
                .allSatisfy(chart -> assertThat(chart.box().orElseThrow().height()).isGreaterThan(250));
    }

    @Test
    void on_a_phone_the_page_fits_the_screen_and_wide_parts_scroll_inside_it() throws IOException {
        try (HeadlessChromium phone = HeadlessChromium.start(390, 844)) {
            Rendering rendering = phone.render(write("phone.html", SampleReports.campaign("Spring onboarding", 30)),
                    LOAD, "main", ".chart", ".table");

            assertThat(rendering.errors()).isEmpty();
            assertThat(rendering.contentWidth()).as("nothing sticks out sideways").isLessThanOrEqualTo(390);
            assertThat(Stream.of("main", ".chart", ".table").flatMap(s -> rendering.elements(s).stream()))
                    .hasSize(4)
                    .allSatisfy(part -> assertThat(part.box().orElseThrow().width()).isLessThanOrEqualTo(390));
            Files.write(TARGET.resolve("report-page-phone.png"), rendering.png());
        }
    }

    private static Path write(String name, SequenceReport report) throws IOException {
        Path file = TARGET.resolve("report-page-it").resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, ReportPage.html(report), StandardCharsets.UTF_8);
    }

    /** How much is drawn in a part of a screenshot: its distinct colours and its share of non-white pixels. */
    private record Ink(int colours, double nonWhiteShare) {
        static Ink of(BufferedImage image, Box box) {
            int left = (int) Math.max(0, box.x());
            int top = (int) Math.max(0, box.y());
            int right = (int) Math.min(image.getWidth(), box.x() + box.width());
            int bottom = (int) Math.min(image.getHeight(), box.y() + box.height());
            if (right <= left || bottom <= top) {
                throw new UncheckedIOException(new IOException("the box " + box + " is outside the screenshot"));
            }
            Set<Integer> colours = new HashSet<>();
            long nonWhite = 0;
            for (int y = top; y < bottom; y++) {
                for (int x = left; x < right; x++) {
                    int rgb = image.getRGB(x, y) & 0xffffff;
                    colours.add(rgb);
                    nonWhite += rgb == 0xffffff ? 0 : 1;
                }
            }
            return new Ink(colours.size(), (double) nonWhite / ((long) (right - left) * (bottom - top)));
        }
    }
}
