package io.sequencer.adapters.report;

import io.sequencer.domain.Sha256;
import io.sequencer.domain.report.PoisonSummary;
import io.sequencer.domain.report.SequenceReport;
import io.sequencer.domain.report.SequenceReport.EnrollmentFigures;
import io.sequencer.domain.report.SequenceReport.StepFigures;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A report as one self-contained HTML page for a marketer: headline figures, the funnel per step and the sends per
 * day as inline SVG charts, every step's figures as a table, and poisoned ticks. It loads nothing (no scripts, fonts,
 * images or stylesheets) and runs no script, so its own Content-Security-Policy can forbid everything but its one
 * stylesheet; every text that comes from data is escaped.
 */
public final class ReportPage {
    public static final String MEDIA_TYPE = "text/html; charset=utf-8";

    /**
     * Everything is refused but the page's own stylesheet (by its hash) and the empty inline icon, which keeps browsers
     * from asking the server for a favicon. The page carries it itself; an endpoint may also send it as a header.
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'sha256-" + sha256(ReportStyle.CSS)
            + "'; img-src data:; base-uri 'none'; form-action 'none'";

    private ReportPage() {}

    public static String html(SequenceReport report) {
        return html(report, Optional.empty());
    }

    /** The page with a link to the same figures as CSV at {@code csvHref} (relative to the page, already encoded). */
    public static String html(SequenceReport report, Optional<String> csvHref) {
        String title = displayName(report);
        String range = FigureText.range(report.from(), report.to());
        StringBuilder page = new StringBuilder(16_384 + 512 * report.days().size());
        open(page, title + " · " + report.account() + " · " + range);
        header(page, report, title, range, csvHref);
        enrollments(page, report.enrollments());
        page.append("<section aria-labelledby=\"funnel-heading\">\n<h2 id=\"funnel-heading\">Funnel per step</h2>\n")
                .append("<p class=\"hint\">How far each step's messages got (").append(Html.text(range))
                .append("). Point at a bar for its figure.</p>\n<div class=\"chart\">")
                .append(FunnelChart.svg(report.steps())).append("</div>\n</section>\n");
        page.append("<section aria-labelledby=\"sends-heading\">\n<h2 id=\"sends-heading\">Sends per day</h2>\n")
                .append("<p class=\"hint\">Days are UTC. Point at a day for all its figures.</p>\n<div class=\"chart\">")
                .append(SendsPerDayChart.svg(report.days())).append("</div>\n</section>\n");
        stepTable(page, report);
        ConversionSection.append(page, report);
        poisoned(page, report);
        page.append("<footer>Counts cover ").append(Html.text(range))
                .append(" (UTC days); \u201cactive now\u201d counts every enrollment still in the sequence. Generated ")
                .append(Html.text(FigureText.moment(report.generatedAt()))).append(".</footer>\n")
                .append("</main>\n</body>\n</html>\n");
        return page.toString();
    }

    /**
     * Starts a report page: the document head (policy, viewport, no referrer, the empty icon, the stylesheet) titled
     * {@code title}, and the opening of its main element.
     */
    static void open(StringBuilder page, String title) {
        page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CONTENT_SECURITY_POLICY)
                .append("\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"referrer\" content=\"no-referrer\">\n")
                .append("<link rel=\"icon\" href=\"data:,\">\n")
                .append("<title>").append(Html.text(title))
                .append("</title>\n<style>").append(ReportStyle.CSS).append("</style>\n</head>\n<body>\n<main>\n");
    }

    private static String displayName(SequenceReport report) {
        return report.name() == null || report.name().isBlank() ? report.sequenceId() : report.name();
    }

    private static void header(StringBuilder page, SequenceReport report, String title, String range,
                               Optional<String> csvHref) {
        page.append("<header>\n<p class=\"kicker\">Sequence report</p>\n<h1>").append(Html.text(title))
                .append("</h1>\n<dl class=\"meta\">")
                .append("<div><dt>Sequence</dt><dd><code>").append(Html.text(report.sequenceId())).append("</code></dd></div>")
                .append("<div><dt>Account</dt><dd><code>").append(Html.text(report.account())).append("</code></dd></div>")
                .append("<div><dt>Covers</dt><dd>").append(Html.text(range)).append("</dd></div>")
                .append("<div><dt>Generated</dt><dd><time datetime=\"").append(Html.text(report.generatedAt().toString()))
                .append("\">").append(Html.text(FigureText.moment(report.generatedAt()))).append("</time></dd></div>");
        csvLink(page, csvHref);
        page.append("</dl>\n</header>\n");
    }

    /** A download link for the same figures as CSV, as one more entry of the header's list. */
    static void csvLink(StringBuilder page, Optional<String> csvHref) {
        csvHref.ifPresent(href -> page.append("<div><dt>Data</dt><dd><a href=\"").append(Html.text(href))
                .append("\" download>CSV</a></dd></div>"));
    }

    private static void enrollments(StringBuilder page, EnrollmentFigures e) {
        page.append("<section aria-labelledby=\"enrollments-heading\">\n")
                .append("<h2 id=\"enrollments-heading\">Enrollments</h2>\n<div class=\"cards\">\n");
        card(page, "Enrolled", e.enrolled(), "in this range");
        card(page, "Active now", e.active(), "still in the sequence");
        card(page, "Completed", e.completed(), "reached the last step");
        card(page, "Left", e.leftTotal(), e.leftTotal() == 0 ? "before the end" : leaveReasons(e.left()));
        card(page, "Restarted", e.restarted(), "re-entered before finishing");
        page.append("</div>\n</section>\n");
    }

    static void card(StringBuilder page, String label, long value, String note) {
        page.append("<div class=\"card\"><span class=\"label\">").append(Html.text(label))
                .append("</span><span class=\"value\">").append(FigureText.count(value))
                .append("</span><span class=\"note\">").append(Html.text(note)).append("</span></div>\n");
    }

    /** "12 unsubscribed · 3 reached a goal": the reasons that are not zero, number first as in the step table. */
    private static String leaveReasons(Map<String, Long> left) {
        return left.entrySet().stream().filter(reason -> reason.getValue() != 0)
                .map(reason -> FigureText.count(reason.getValue()) + " "
                        + (reason.getKey().equals("goal") ? "reached a goal" : FigureText.words(reason.getKey())))
                .collect(Collectors.joining(" · "));
    }

    private static void stepTable(StringBuilder page, SequenceReport report) {
        page.append("<section aria-labelledby=\"steps-heading\">\n<h2 id=\"steps-heading\">Figures per step</h2>\n")
                .append("<p class=\"hint\">Rates are of messages sent. Time to step is the median time from enrollment ")
                .append("to the step's send (within about 5&nbsp;%).</p>\n<div class=\"table\"><table>\n<thead><tr>")
                .append("<th scope=\"col\">#</th><th scope=\"col\" class=\"text\">Step</th>")
                .append("<th scope=\"col\">Waiting now</th>")
                .append("<th scope=\"col\">Scheduled</th><th scope=\"col\">Sent</th><th scope=\"col\">Delivered</th>")
                .append("<th scope=\"col\">Read</th><th scope=\"col\">Clicked</th><th scope=\"col\">Replied</th>")
                .append("<th scope=\"col\">Read rate</th><th scope=\"col\">Click rate</th>")
                .append("<th scope=\"col\">Failed</th><th scope=\"col\">Skipped</th>")
                .append("<th scope=\"col\">Time to step</th></tr></thead>\n<tbody>\n");
        for (StepFigures step : report.steps()) {
            page.append("<tr><td>").append(step.position().map(String::valueOf).orElse(FigureText.NONE))
                    .append("</td><th scope=\"row\" class=\"text\"><code>").append(Html.text(step.stepId()))
                    .append("</code>").append(step.position().isEmpty()
                            ? "<span class=\"sub\">no longer in the sequence</span>" : "")
                    .append(step.message().map(m -> "<span class=\"sub msg\">" + Html.text(FigureText.cut(m, 400))
                            + "</span>").orElse("")).append("</th>");
            countCell(page, step.waiting());
            countCell(page, step.scheduled());
            if (step.sentByChannel().isEmpty()) {
                countCell(page, step.sent());
            } else {
                partsCell(page, step.sent(), step.sentByChannel()); // by the channel each went on
            }
            countCell(page, step.delivered());
            countCell(page, step.read());
            countCell(page, step.clicked());
            countCell(page, step.replied());
            page.append("<td>").append(FigureText.percent(step.readRate())).append("</td>")
                    .append("<td>").append(FigureText.percent(step.clickRate())).append("</td>");
            partsCell(page, step.failedTotal(), step.failed());
            partsCell(page, step.skippedTotal(), step.skipped());
            page.append("<td>").append(Html.text(step.medianTimeToStep().map(FigureText::duration)
                    .orElse(FigureText.NONE))).append("</td></tr>\n");
        }
        page.append("</tbody>\n</table></div>\n</section>\n");
    }

    private static void countCell(StringBuilder page, long value) {
        page.append(value == 0 ? "<td class=\"zero\">" : "<td>").append(FigureText.count(value)).append("</td>");
    }

    /** A total with its non-zero parts beneath it, one a line, number first: failures by class, skips by reason. */
    private static void partsCell(StringBuilder page, long total, Map<String, Long> parts) {
        page.append(total == 0 ? "<td class=\"parts zero\">" : "<td class=\"parts\">").append(FigureText.count(total));
        parts.forEach((name, count) -> {
            if (count != 0) {
                page.append("<span class=\"sub\">").append(FigureText.count(count)).append(' ')
                        .append(Html.text(FigureText.words(name))).append("</span>");
            }
        });
        page.append("</td>");
    }

    private static void poisoned(StringBuilder page, SequenceReport report) {
        PoisonSummary poisoned = report.poisoned();
        boolean any = poisoned.count() > 0;
        page.append("<section class=\"poison").append(any ? " alert" : "")
                .append("\" aria-labelledby=\"poison-heading\">\n<h2 id=\"poison-heading\">Poisoned ticks: ")
                .append(FigureText.count(poisoned.count())).append("</h2>\n");
        if (!any) {
            page.append("<p>None: no due step of this sequence has failed every attempt.</p>\n</section>\n");
            return;
        }
        page.append("<p>").append(poisoned.count() == 1 ? "One due step" : FigureText.count(poisoned.count())
                        + " due steps")
                .append(" failed every attempt and ").append(poisoned.count() == 1 ? "was" : "were")
                .append(" set aside, unsent").append(poisoned.lastAt().map(at -> "; the latest on "
                        + Html.text(FigureText.moment(at))).orElse("")).append(".</p>\n");
        page.append(poisoned.lastError().map(error -> "<p>Last error:</p>\n<pre>" + Html.text(error) + "</pre>\n")
                .orElse("<p>No error text was recorded.</p>\n"));
        page.append("<p>Once the cause is fixed, they can be replayed with <code>POST /api/accounts/")
                .append(Html.text(report.account())).append("/sequences/").append(Html.text(report.sequenceId()))
                .append("/poison:replay</code>.</p>\n</section>\n");
    }

    private static String sha256(String text) {
        return Base64.getEncoder().encodeToString(Sha256.of(text));
    }
}
