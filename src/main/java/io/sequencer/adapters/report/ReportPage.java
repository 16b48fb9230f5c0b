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

    private static final String STYLE = """
            :root{color-scheme:light;--ink:#1f2933;--muted:#52606d;--line:#e4e7eb;--panel:#f8fafc;--accent:#0072b2}
            *{box-sizing:border-box}
            body{margin:0;background:#fff;color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,\
            "Helvetica Neue","Noto Sans","Liberation Sans",Arial,sans-serif;-webkit-text-size-adjust:100%}
            main{max-width:1240px;margin:0 auto;padding:28px 20px 40px}
            h1{font-size:1.75rem;line-height:1.25;margin:0 0 8px;overflow-wrap:anywhere}
            h2{font-size:1.15rem;margin:0 0 4px}
            section{margin-top:32px}
            .kicker{margin:0;color:var(--accent);font-weight:600;font-size:.8rem;letter-spacing:.06em;\
            text-transform:uppercase}
            .meta{display:flex;flex-wrap:wrap;gap:6px 28px;margin:0;color:var(--muted)}
            .meta div{display:flex;gap:6px}
            .meta dt{font-weight:600}
            .meta dd{margin:0;overflow-wrap:anywhere}
            code{font:.92em ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
            .hint{margin:0 0 12px;color:var(--muted);font-size:.9rem}
            .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px;margin-top:12px}
            .card{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:14px 16px}
            .card .label{display:block;color:var(--muted);font-size:.85rem}
            .card .value{display:block;font-size:1.9rem;font-weight:650;font-variant-numeric:tabular-nums;\
            line-height:1.2}
            .card .note{display:block;color:var(--muted);font-size:.8rem}
            .chart{overflow-x:auto;border:1px solid var(--line);border-radius:10px;padding:8px}
            .chart svg{display:block;height:auto;min-width:640px}
            .chart svg.fit{width:100%}
            .chart text{fill:var(--muted);font-size:12px}
            .chart .legend text{fill:var(--ink);font-size:13px}
            .chart .label{fill:var(--ink)}
            .chart .name{font-size:12px}
            .chart .note{font-size:15px}
            .chart .grid{stroke:var(--line)}
            .chart .base,.chart .tickmark{stroke:#9aa5b1}
            .chart .line{stroke-width:2.25;stroke-linejoin:round;stroke-linecap:round}
            .chart .area{opacity:.08}
            .chart .day{fill:#1f2933;fill-opacity:0}
            .chart .day:hover{fill-opacity:.06}
            .chart .step:hover rect{opacity:.85}
            .table{overflow-x:auto;border:1px solid var(--line);border-radius:10px}
            table{border-collapse:collapse;width:100%;font-size:.9rem}
            th,td{padding:7px 8px;border-bottom:1px solid var(--line);text-align:right;vertical-align:top;\
            white-space:nowrap}
            thead th{background:var(--panel);font-weight:600;color:var(--muted);white-space:normal;\
            vertical-align:bottom}
            tbody tr:last-child>*{border-bottom:0}
            th.text,td.text{text-align:left;white-space:normal;overflow-wrap:anywhere;min-width:7em}
            tbody th{font-weight:400}
            td.parts{white-space:normal;min-width:9.5em}
            td{font-variant-numeric:tabular-nums}
            .sub{display:block;color:var(--muted);font-size:.8rem}
            .msg{font-weight:400;white-space:pre-wrap;overflow-wrap:anywhere;max-width:28rem}
            .zero{color:#9aa5b1}
            .cards+.table{margin-top:12px}
            h3{font-size:1rem;margin:20px 0 8px}
            .poison{border:1px solid var(--line);border-radius:10px;padding:16px 18px;background:var(--panel)}
            .poison.alert{border-color:#d55e00;background:#fff4ec}
            .poison.alert h2{color:#a63f00}
            .poison p{margin:6px 0}
            .poison pre{margin:8px 0;padding:10px 12px;background:#fff;border:1px solid #f0c3a5;border-radius:6px;\
            white-space:pre-wrap;overflow-wrap:anywhere;font:.85rem ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
            footer{margin-top:36px;color:var(--muted);font-size:.8rem}
            @media (max-width:600px){main{padding:18px 12px 28px}h1{font-size:1.4rem}.card .value{font-size:1.5rem}}
            """;

    /**
     * Everything is refused but the page's own stylesheet (by its hash) and the empty inline icon, which keeps browsers
     * from asking the server for a favicon. The page carries it itself; an endpoint may also send it as a header.
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'sha256-" + sha256(STYLE)
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
                .append("</title>\n<style>").append(STYLE).append("</style>\n</head>\n<body>\n<main>\n");
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
            countCell(page, step.scheduled());
            countCell(page, step.sent());
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
