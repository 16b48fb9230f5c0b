package io.sequencer.adapters.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.sequencer.domain.report.PoisonSummary;
import io.sequencer.domain.report.SequenceReport;
import io.sequencer.domain.report.SequenceReport.DayFigures;
import io.sequencer.domain.report.SequenceReport.EnrollmentFigures;
import io.sequencer.domain.report.SequenceReport.StepFigures;
import io.sequencer.testing.SampleReports;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

class ReportPageTest {
    private static final String HOSTILE = "<script>alert(1)</script> & \"x\"";
    private static final String HOSTILE_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;";

    @Test
    void markup_in_the_name_or_an_error_text_is_shown_as_text() {
        String html = ReportPage.html(SampleReports.campaign(HOSTILE, 3));

        assertThat(html).doesNotContainIgnoringCase("<script");
        assertThat(html).contains("<title>" + HOSTILE_ESCAPED + " · acme · all time</title>");
        assertThat(html).contains("<h1>" + HOSTILE_ESCAPED + "</h1>");
        assertThat(html).contains("webhook answered 500 &lt;html&gt;&lt;body&gt;Internal error&lt;/body&gt;&lt;/html&gt;")
                .doesNotContain("<html><body>");
    }

    @Test
    void escaping_covers_every_character_that_could_end_text_or_an_attribute() {
        assertThat(Html.text("<a href='x' title=\"y\">&amp;</a>\u0000\u001b\n"))
                .isEqualTo("&lt;a href=&#39;x&#39; title=&quot;y&quot;&gt;&amp;amp;&lt;/a&gt;\uFFFD\uFFFD\n");
    }

    @Test
    void the_page_loads_nothing_from_elsewhere_and_has_no_script() {
        String page = ReportPage.html(SampleReports.campaign("Spring onboarding", 30));
        String html = page.replace(ReportPage.CONTENT_SECURITY_POLICY, "policy"); // its hash may hold "//" by chance

        // "http" alone would also match the policy's own <meta http-equiv>; a URL needs the colon
        assertThat(html).doesNotContainIgnoringCase("http:").doesNotContainIgnoringCase("https:")
                .doesNotContain("//").doesNotContainIgnoringCase("src=")
                .doesNotContainIgnoringCase("url(").doesNotContainIgnoringCase("@import")
                .doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("javascript:");
        assertThat(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find())
                .as("an event handler attribute").isFalse();
        assertThat(page).startsWith("<!DOCTYPE html>\n<html lang=\"en\">")
                .contains("<meta http-equiv=\"Content-Security-Policy\" content=\"" + ReportPage.CONTENT_SECURITY_POLICY
                        + "\">");
        assertThat(ReportPage.CONTENT_SECURITY_POLICY).startsWith("default-src 'none'; ");
    }

    @Test
    void the_policy_allows_the_page_s_own_stylesheet_and_nothing_else() throws Exception {
        String html = ReportPage.html(SampleReports.campaign("Spring onboarding", 30));
        List<String> styles = between(html, "<style>", "</style>");
        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(styles.get(0).getBytes(StandardCharsets.UTF_8)));

        assertThat(styles).hasSize(1);
        assertThat(ReportPage.CONTENT_SECURITY_POLICY)
                .isEqualTo("default-src 'none'; style-src 'sha256-" + hash + "'; img-src data:; base-uri 'none';"
                        + " form-action 'none'");
        assertThat(html).doesNotContain(" style=");
    }

    @Test
    void both_charts_are_well_formed_svg_with_a_title_for_every_bar() throws Exception {
        String html = ReportPage.html(SampleReports.campaign(HOSTILE, 30));
        List<String> charts = between(html, "<svg", "</svg>");

        assertThat(charts).hasSize(2);
        for (String chart : charts) {
            DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(("<svg" + chart + "</svg>").getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(charts.get(0)).contains("role=\"img\"").contains("<title id=\"funnel-title\">Funnel per step</title>");
        assertThat(count(charts.get(0), "<rect x=")).as("bars: 5 figures of 6 steps, and 5 legend swatches")
                .isEqualTo(5 * 6 + 5);
        assertThat(count(charts.get(0), "</title></rect>")).isEqualTo(5 * 6);
        assertThat(charts.get(0)).contains("<title>3. case-study: ");
        assertThat(charts.get(1)).contains("<title id=\"sends-title\">Sends per day</title>")
                .contains("<title>Mon 3 Mar 2025: ");
        assertThat(count(charts.get(1), "class=\"day\"")).isEqualTo(30);
        assertThat(count(charts.get(1), "<polyline")).isEqualTo(4);
        assertThat(charts.get(1)).contains(">3 Mar</text>").contains(">10 Mar</text>").contains(">31 Mar</text>");
    }

    @Test
    void a_report_without_days_draws_both_charts_with_a_note_instead_of_lines() {
        SequenceReport report = SampleReports.untouched("Never started");
        String html = ReportPage.html(report);

        assertThat(report.days()).isEmpty();
        assertThat(between(html, "<svg", "</svg>")).hasSize(2);
        assertThat(html).contains("No activity in this range.").contains("Nothing was scheduled or sent")
                .doesNotContain("<polyline").doesNotContain("<circle").doesNotContain("NaN")
                .doesNotContain("Infinity");
    }

    @Test
    void a_report_of_one_day_draws_that_day_as_dots_in_the_middle() {
        SequenceReport report = SampleReports.campaign("One day", 1);
        String sends = between(ReportPage.html(report), "<svg", "</svg>").get(1);

        assertThat(report.days()).hasSize(1);
        assertThat(sends).doesNotContain("<polyline").doesNotContain("NaN").doesNotContain("Infinity")
                .contains(">3 Mar</text>");
        Matcher dots = Pattern.compile("<circle cx=\"([0-9.]+)\"").matcher(sends);
        int found = 0;
        while (dots.find()) {
            found++;
            assertThat(Double.parseDouble(dots.group(1))).isEqualTo(72 + (960 - 72 - 24) / 2.0);
        }
        assertThat(found).as("a dot per line").isEqualTo(4);
    }

    @Test
    void days_with_nothing_at_all_keep_an_axis_and_say_so() {
        SequenceReport report = SampleReports.quiet("Quiet", SampleReports.FIRST_DAY, SampleReports.FIRST_DAY.plusDays(6));
        String html = ReportPage.html(report);

        assertThat(report.days()).hasSize(7).allSatisfy(day -> assertThat(day.sent()).isZero());
        assertThat(html).contains("No activity on these days.").contains(">1</text>")
                .doesNotContain("NaN").doesNotContain("Infinity").doesNotContain("<polyline");
    }

    @Test
    void a_year_of_days_is_labelled_by_month_and_drawn_without_dots() {
        SequenceReport report = SampleReports.campaign("A year", SequenceReport.MAX_DAYS);
        String sends = between(ReportPage.html(report), "<svg", "</svg>").get(1);

        assertThat(report.days()).hasSize(366);
        assertThat(count(sends, "class=\"day\"")).isEqualTo(366);
        assertThat(sends).contains(">Apr 2025</text>").contains(">Dec</text>").contains(">Jan 2026</text>")
                .contains(">Mar</text>").doesNotContain("<circle").doesNotContain("NaN");
        assertThat(count(sends, "class=\"tick\" x=")).as("12 month labels, and the count axis's ticks")
                .isEqualTo(12 + AxisScale.covering(report.days().stream().mapToLong(DayFigures::sent).max()
                        .orElseThrow()).ticks().size());
    }

    @Test
    void the_step_table_shows_every_figure_as_a_marketer_reads_it() {
        Map<String, Long> failed = new LinkedHashMap<>();
        failed.put("transient", 3L);
        failed.put("permanent", 0L);
        failed.put("recipient_gone", 2L);
        StepFigures offer = new StepFigures("offer", Optional.of(2), 40, 1_250, 1_000, 990, 450, 123, 7, failed,
                Map.of("condition_not_met", 40L), Optional.of(Duration.ofMinutes(90)),
                Optional.of("{\"text\":\"Hi {{ subscriber.attributes.first_name }} <b>&</b>\"}"), Map.of(), 0, 0,
                List.of());
        StepFigures removed = new StepFigures("survey", Optional.empty(), 0, 0, 0, 0, 0, 0, 0,
                Map.of("transient", 0L, "permanent", 0L, "recipient_gone", 0L), Map.of(), Optional.empty(),
                Optional.empty(), Map.of(), 0, 0, List.of());
        String html = ReportPage.html(report(List.of(offer, removed), PoisonSummary.NONE));
        String table = between(html, "<table>", "</table>").get(0);

        // The step's message as written, templates and markup shown as text.
        assertThat(table).contains("<td>2</td><th scope=\"row\" class=\"text\"><code>offer</code><span class=\"sub msg\">"
                + "{&quot;text&quot;:&quot;Hi {{ subscriber.attributes.first_name }} &lt;b&gt;&amp;&lt;/b&gt;&quot;}</span></th>"
                + "<td>40</td><td>1,250</td><td>1,000</td><td>990</td><td>450</td><td>123</td><td>7</td><td>45.0%</td>"
                + "<td>12.3%</td><td class=\"parts\">5<span class=\"sub\">3 transient</span>"
                + "<span class=\"sub\">2 recipient gone</span></td><td class=\"parts\">40<span class=\"sub\">40 condition"
                + " not met</span></td><td>1 h 30 min</td></tr>");
        assertThat(table).contains("<td>–</td><th scope=\"row\" class=\"text\"><code>survey</code><span class=\"sub\">"
                + "no longer in the sequence</span></th>").contains("<td>–</td><td>–</td>")
                .doesNotContain("0 permanent");
    }

    @Test
    void poisoned_ticks_are_highlighted_with_how_to_replay_them_and_calm_when_there_are_none() {
        PoisonSummary three = new PoisonSummary(3, Optional.of("boom"), Optional.of(Instant.parse("2025-04-01T10:00:00Z")));
        String poisoned = ReportPage.html(report(List.of(), three));
        String none = ReportPage.html(report(List.of(), PoisonSummary.NONE));

        assertThat(poisoned).contains("<section class=\"poison alert\"").contains("Poisoned ticks: 3</h2>")
                .contains("3 due steps failed every attempt and were set aside, unsent; the latest on 1 Apr 2025, 10:00 UTC")
                .contains("<pre>boom</pre>")
                .contains("<code>POST /api/accounts/acme/sequences/welcome/poison:replay</code>");
        assertThat(none).contains("<section class=\"poison\"").contains("Poisoned ticks: 0</h2>")
                .doesNotContain("poison alert").doesNotContain("poison:replay");
    }

    @Test
    void the_header_names_the_sequence_its_account_the_days_covered_and_when_it_was_made() {
        String html = ReportPage.html(SampleReports.quiet("Spring onboarding", SampleReports.FIRST_DAY,
                SampleReports.FIRST_DAY.plusDays(6)));

        assertThat(html).contains("<title>Spring onboarding · acme · 3 Mar 2025 – 9 Mar 2025</title>")
                .contains("<dt>Sequence</dt><dd><code>spring-onboarding</code></dd>")
                .contains("<dt>Account</dt><dd><code>acme</code></dd>")
                .contains("<dt>Covers</dt><dd>3 Mar 2025 – 9 Mar 2025</dd>")
                .contains("<time datetime=\"2025-04-02T08:30:00Z\">2 Apr 2025, 08:30 UTC</time>");
    }

    @Test
    void headline_figures_give_the_reasons_for_leaving_that_happened() {
        Map<String, Long> left = new LinkedHashMap<>();
        left.put("unsubscribed", 1_200L);
        left.put("archived", 0L);
        left.put("goal", 2L);
        String html = ReportPage.html(new SequenceReport("acme", "welcome", "Welcome", Instant.parse("2025-04-02T08:30:00Z"),
                Optional.empty(), Optional.empty(), new EnrollmentFigures(12_345, 4, 5, 6, left), List.of(), List.of(),
                PoisonSummary.NONE));

        assertThat(html).contains("<span class=\"label\">Enrolled</span><span class=\"value\">12,345</span>")
                .contains("<span class=\"label\">Active now</span><span class=\"value\">4</span>")
                .contains("<span class=\"label\">Completed</span><span class=\"value\">5</span>")
                .contains("<span class=\"label\">Restarted</span><span class=\"value\">6</span>")
                .contains("<span class=\"label\">Left</span><span class=\"value\">1,202</span>"
                        + "<span class=\"note\">1,200 unsubscribed · 2 reached a goal</span>");
    }

    @Test
    void a_sequence_with_a_hundred_steps_widens_its_funnel_instead_of_squeezing_it() {
        List<StepFigures> steps = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            steps.add(new StepFigures("step-" + i, Optional.of(i), i, 100 - i, 90 - i / 2, 80, 50, 10, 1,
                    Map.of("transient", 0L), Map.of(), Optional.of(Duration.ofHours(i)), Optional.empty(),
                    Map.of(), 0, 0, List.of()));
        }
        String funnel = between(ReportPage.html(report(steps, PoisonSummary.NONE)), "<svg", "</svg>").get(0);

        assertThat(funnel).startsWith(" class=\"wide\" viewBox=\"0 0 9688 340\"");
        assertThatCode(() -> DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(("<svg" + funnel + "</svg>").getBytes(StandardCharsets.UTF_8))))
                .doesNotThrowAnyException();
    }

    private static SequenceReport report(List<StepFigures> steps, PoisonSummary poisoned) {
        return new SequenceReport("acme", "welcome", "Welcome", Instant.parse("2025-04-02T08:30:00Z"),
                Optional.empty(), Optional.empty(), new EnrollmentFigures(10, 4, 5, 0, Map.of("unsubscribed", 1L)),
                steps, List.of(), poisoned);
    }

    /** The texts between each {@code open} and the {@code close} after it. */
    private static List<String> between(String text, String open, String close) {
        List<String> found = new ArrayList<>();
        for (int at = text.indexOf(open); at >= 0; at = text.indexOf(open, at + 1)) {
            int end = text.indexOf(close, at);
            found.add(text.substring(at + open.length(), end));
        }
        return found;
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
