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
import io.sequencer.adapters.json.ReportJson;
import io.sequencer.adapters.report.ReportCsv;
import io.sequencer.adapters.report.ReportPage;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.report.SequenceReport;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** HTTP functions that show what a sequence achieved: as JSON or CSV for programs, as a page for people. */
public final class ReportFunctions {
    private static final String ROUTE = "accounts/{account}/sequences/{sequenceId}/report";

    @FunctionName("getSequenceReport")
    public HttpResponseMessage report(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            String format = HttpApi.query(request, "format").orElse("json");
            if (!format.equals("json") && !format.equals("csv")) {
                throw new Invalid("format", "must be json or csv");
            }
            SequenceReport report = build(request, account, sequenceId);
            if (format.equals("csv")) {
                return HttpApi.text(request, ReportCsv.MEDIA_TYPE, ReportCsv.write(ReportJson.write(report)),
                        "Content-Disposition", "attachment; filename=\"" + sequenceId + "-report.csv\"");
            }
            return HttpApi.json(request, HttpStatus.OK, ReportJson.write(report));
        });
    }

    /**
     * The same report as a page for people: self-contained (no script, no external resource), with a policy that
     * lets the browser load nothing but the page's own stylesheet. Opened with a key like every account route;
     * a browser opens it through a report link ({@link ReportLinkFunctions}).
     */
    @FunctionName("getSequenceReportPage")
    public HttpResponseMessage page(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE + ".html") HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> HttpApi.text(request, ReportPage.MEDIA_TYPE,
                ReportPage.html(build(request, account, sequenceId)),
                "Content-Security-Policy", ReportPage.CONTENT_SECURITY_POLICY,
                "Cache-Control", "no-store"));
    }

    static SequenceReport build(HttpRequestMessage<Optional<String>> request, String account, String sequenceId) {
        return FunctionApp.get().engine().reports().sequence(account, sequenceId, day(request, "from"), day(request, "to"));
    }

    private static Optional<LocalDate> day(HttpRequestMessage<Optional<String>> request, String name) {
        try {
            return HttpApi.query(request, name).map(LocalDate::parse);
        } catch (DateTimeParseException e) {
            throw new Invalid(name, "must be a UTC date such as 2026-12-04");
        }
    }
}
