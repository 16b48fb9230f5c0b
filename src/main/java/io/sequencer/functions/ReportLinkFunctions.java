package io.sequencer.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.sequencer.adapters.json.BroadcastJson;
import io.sequencer.adapters.json.ReportJson;
import io.sequencer.adapters.json.ReportLinkJson;
import io.sequencer.adapters.report.BroadcastReportPage;
import io.sequencer.adapters.report.ReportCsv;
import io.sequencer.adapters.report.ReportPage;
import io.sequencer.domain.broadcast.BroadcastReport;
import io.sequencer.domain.report.ReportRef;
import io.sequencer.domain.report.SequenceReport;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Report links: a keyed caller asks for a link to one report, and whoever holds the link may read that report (page
 * and CSV) until it expires, without any key. The shared routes are anonymous to the Functions host, since a browser
 * following a link has no key; they serve nothing but what a valid token names, and take no key either.
 */
public final class ReportLinkFunctions {
    /** The one answer to every token that does not open a report, whatever the reason. */
    static final String REFUSED = "this report link is not valid: it may be incomplete, expired or revoked; "
            + "ask for a new link";
    private static final String SHARED = "shared/report";

    @FunctionName("createSequenceReportLink")
    public HttpResponseMessage sequenceLink(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "accounts/{account}/sequences/{sequenceId}/report:link")
            HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            ReportRef report = new ReportRef(ReportRef.Kind.SEQUENCE, account, sequenceId);
            FunctionApp.get().engine().sequences().get(account, sequenceId);
            return link(request, report);
        });
    }

    @FunctionName("createBroadcastReportLink")
    public HttpResponseMessage broadcastLink(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "accounts/{account}/broadcasts/{broadcastId}/report:link")
            HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("broadcastId") String broadcastId,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            ReportRef report = new ReportRef(ReportRef.Kind.BROADCAST, account, broadcastId);
            FunctionApp.get().engine().broadcasts().get(account, broadcastId);
            return link(request, report);
        });
    }

    /** The page a link opens: anonymous to the host, so the token is the only way in. */
    @FunctionName("getSharedReportPage")
    public HttpResponseMessage sharedPage(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = SHARED + ".html") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return HttpApi.handle(request, context, () -> {
            ReportRef report = opened(request);
            // The CSV link carries the token (never a key) and the page's own range.
            String csv = "report.csv?token=" + HttpApi.query(request, "token").orElseThrow();
            String page = switch (report.kind()) {
                case SEQUENCE -> {
                    SequenceReport figures = ReportFunctions.build(request, report.account(), report.reportId());
                    yield ReportPage.html(figures, Optional.of(csv + range(figures)));
                }
                case BROADCAST -> BroadcastReportPage.html(broadcast(report), Optional.of(csv));
            };
            return HttpApi.text(request, ReportPage.MEDIA_TYPE, page, sharedHeaders(
                    "Content-Security-Policy", ReportPage.CONTENT_SECURITY_POLICY));
        });
    }

    @FunctionName("getSharedReportCsv")
    public HttpResponseMessage sharedCsv(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = SHARED + ".csv") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return HttpApi.handle(request, context, () -> {
            ReportRef report = opened(request);
            String csv = switch (report.kind()) {
                case SEQUENCE -> ReportCsv.write(ReportJson.write(
                        ReportFunctions.build(request, report.account(), report.reportId())));
                case BROADCAST -> ReportCsv.write(BroadcastJson.writeReport(broadcast(report)));
            };
            return HttpApi.text(request, ReportCsv.MEDIA_TYPE, csv, sharedHeaders("Content-Disposition",
                    "attachment; filename=\"" + report.reportId() + "-report.csv\""));
        });
    }

    private static HttpResponseMessage link(HttpRequestMessage<Optional<String>> request, ReportRef report) {
        FunctionApp app = FunctionApp.get();
        Instant expiresAt = app.engine().clock().instant().plus(ReportLinkJson.lifetime(HttpApi.body(request)))
                .truncatedTo(ChronoUnit.SECONDS);
        String token = app.reportLinks().issue(report, expiresAt);
        return HttpApi.json(request, HttpStatus.OK,
                ReportLinkJson.write(app.reportLinks().sharedPageUrl(request.getUri(), token), expiresAt));
    }

    /** The report the request's token opens, or the one refusal for every other case (missing token included). */
    private static ReportRef opened(HttpRequestMessage<Optional<String>> request) {
        FunctionApp app = FunctionApp.get();
        return HttpApi.query(request, "token").flatMap(token -> app.reportLinks().open(token, app.engine().clock().instant()))
                .orElseThrow(() -> new Forbidden(REFUSED));
    }

    private static BroadcastReport broadcast(ReportRef report) {
        return FunctionApp.get().engine().broadcasts().get(report.account(), report.reportId());
    }

    private static String range(SequenceReport report) {
        return report.from().map(day -> "&from=" + URLEncoder.encode(day.toString(), StandardCharsets.UTF_8)).orElse("")
                + report.to().map(day -> "&to=" + URLEncoder.encode(day.toString(), StandardCharsets.UTF_8)).orElse("");
    }

    /**
     * A shared answer must not outlive its link: no cache keeps it, no search engine lists it, and no referrer
     * carries the token to a site the page links to.
     */
    private static String[] sharedHeaders(String name, String value) {
        return new String[] {name, value, "Cache-Control", "no-store", "Referrer-Policy", "no-referrer",
                "X-Robots-Tag", "noindex, nofollow"};
    }
}
