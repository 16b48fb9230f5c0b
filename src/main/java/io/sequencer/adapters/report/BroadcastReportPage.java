package io.sequencer.adapters.report;

import io.sequencer.domain.broadcast.Broadcast;
import io.sequencer.domain.broadcast.BroadcastReport;
import io.sequencer.domain.broadcast.BroadcastTime;
import io.sequencer.domain.subscriber.Engagement;
import java.util.Map;
import java.util.Optional;

/**
 * A broadcast's report as a self-contained page, in the sequence report's style and under the same policy: no
 * script, no external resource, nothing but its own stylesheet.
 */
public final class BroadcastReportPage {
    public static final String MEDIA_TYPE = ReportPage.MEDIA_TYPE;
    public static final String CONTENT_SECURITY_POLICY = ReportPage.CONTENT_SECURITY_POLICY;

    private BroadcastReportPage() {}

    public static String html(BroadcastReport report) {
        return html(report, Optional.empty());
    }

    /** The page with a link to the same figures as CSV at {@code csvHref} (relative to the page, already encoded). */
    public static String html(BroadcastReport report, Optional<String> csvHref) {
        Broadcast b = report.broadcast();
        StringBuilder page = new StringBuilder(8_192);
        ReportPage.open(page, b.id() + " · " + b.account() + " · broadcast report");
        page.append("<header>\n<p class=\"kicker\">Broadcast report</p>\n<h1>").append(Html.text(b.id()))
                .append("</h1>\n<dl class=\"meta\">")
                .append("<div><dt>Account</dt><dd><code>").append(Html.text(b.account())).append("</code></dd></div>")
                .append("<div><dt>Status</dt><dd>").append(Html.text(report.status().wireName())).append("</dd></div>")
                .append("<div><dt>Send time</dt><dd>").append(Html.text(sendTime(b.sendTime()))).append("</dd></div>")
                .append("<div><dt>Generated</dt><dd><time datetime=\"").append(Html.text(report.asOf().toString()))
                .append("\">").append(Html.text(FigureText.moment(report.asOf()))).append("</time></dd></div>");
        ReportPage.csvLink(page, csvHref);
        page.append("</dl>\n</header>\n");
        page.append("<section aria-labelledby=\"figures-heading\">\n<h2 id=\"figures-heading\">Audience and sends</h2>\n")
                .append("<div class=\"cards\">\n");
        ReportPage.card(page, "Audience", report.audience(), b.fanOut().done() ? "everyone it reaches" : "found so far");
        ReportPage.card(page, "Sent", report.sent(), "accepted by the channel");
        ReportPage.card(page, "Delivered", report.engagement().get(Engagement.DELIVERED), "as the host reported");
        ReportPage.card(page, "Read", report.engagement().get(Engagement.READ),
                FigureText.percent(report.rateOf(Engagement.READ)) + " of sends");
        ReportPage.card(page, "Clicked", report.engagement().get(Engagement.CLICKED),
                FigureText.percent(report.rateOf(Engagement.CLICKED)) + " of sends");
        ReportPage.card(page, "Replied", report.engagement().get(Engagement.REPLIED), "as the host reported");
        ReportPage.card(page, "Failed", report.failedTotal(), "gave up or refused");
        ReportPage.card(page, "Skipped", report.skippedTotal(), "not sent, for a reason below");
        ReportPage.card(page, b.cancelled() ? "Never sent" : "Still to send",
                report.unsettled(), b.cancelled() ? "cancelled before their time" : "waiting for their time");
        page.append("</div>\n</section>\n");
        reasons(page, "failed-heading", "Failures by class", report.failed());
        reasons(page, "skipped-heading", "Skips by reason", report.skipped());
        page.append("<footer>Counts are exact: each recipient's outcome and each engagement is counted once. Generated ")
                .append(Html.text(FigureText.moment(report.asOf()))).append(".</footer>\n</main>\n</body>\n</html>\n");
        return page.toString();
    }

    private static String sendTime(BroadcastTime time) {
        if (time instanceof BroadcastTime.Local local) {
            return local.local() + " in each subscriber's time zone (else " + local.fallback().getId() + ")";
        }
        return FigureText.moment(((BroadcastTime.At) time).instant());
    }

    private static void reasons(StringBuilder page, String id, String title, Map<String, Long> counts) {
        page.append("<section aria-labelledby=\"").append(id).append("\">\n<h2 id=\"").append(id).append("\">")
                .append(Html.text(title)).append("</h2>\n");
        if (counts.isEmpty()) {
            page.append("<p class=\"hint\">None.</p>\n</section>\n");
            return;
        }
        page.append("<div class=\"table\"><table>\n<thead><tr><th class=\"text\" scope=\"col\">Reason</th>")
                .append("<th scope=\"col\">Subscribers</th></tr></thead>\n<tbody>\n");
        counts.forEach((reason, count) -> page.append("<tr><th class=\"text\" scope=\"row\">")
                .append(Html.text(FigureText.words(reason))).append("</th><td>").append(FigureText.count(count))
                .append("</td></tr>\n"));
        page.append("</tbody></table></div>\n</section>\n");
    }
}
