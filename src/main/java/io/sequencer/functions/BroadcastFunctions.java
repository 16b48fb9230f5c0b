package io.sequencer.functions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.sequencer.adapters.json.Json;
import io.sequencer.adapters.report.BroadcastReportPage;
import io.sequencer.adapters.report.ReportCsv;
import io.sequencer.domain.Ids;
import io.sequencer.domain.Invalid;
import io.sequencer.domain.broadcast.BroadcastReport;
import io.sequencer.domain.broadcast.BroadcastStatus;
import io.sequencer.engine.broadcast.BroadcastRequest;
import io.sequencer.engine.broadcast.Broadcasts;
import java.util.List;
import java.util.Optional;

/** HTTP functions on broadcasts: schedule, read, cancel, report engagement, and report what they achieved. */
public final class BroadcastFunctions {
    private static final String ROUTE = "accounts/{account}/broadcasts/{broadcastId}";
    @FunctionName("scheduleBroadcast")
    public HttpResponseMessage schedule(
            @HttpTrigger(name = "request", methods = {HttpMethod.PUT}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("broadcastId") String broadcastId,
            ExecutionContext context) {
        return HttpApi.handleWrite(request, context, account, () -> {
            Ids.require("account", account);
            Ids.require("broadcastId", broadcastId);
            FunctionApp app = FunctionApp.get();
            BroadcastRequest parsed = BroadcastJson.parse(HttpApi.requiredBody(request), app.channelForms());
            app.namedSecrets().requireChannels(account, RoutedChannels.ofBroadcast(parsed.channel(), parsed.route()),
                    app.addressGuard());
            Broadcasts.Scheduled scheduled = app.engine().broadcasts().schedule(account, broadcastId, parsed);
            return HttpApi.json(request, scheduled.created() ? HttpStatus.CREATED : HttpStatus.OK,
                    BroadcastJson.write(scheduled.report(), app.channelForms()));
        });
    }

    @FunctionName("getBroadcast")
    public HttpResponseMessage get(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("broadcastId") String broadcastId,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> HttpApi.json(request, HttpStatus.OK,
                BroadcastJson.write(FunctionApp.get().engine().broadcasts().get(account, broadcastId),
                        FunctionApp.get().channelForms())));
    }

    /**
     * Cancels without waiting: 200 when no sender is at work on the broadcast any more ({@code cancelled}), else 202
     * ({@code cancelling}): nothing more goes out once a read says {@code cancelled}.
     */
    @FunctionName("cancelBroadcast")
    public HttpResponseMessage cancel(
            @HttpTrigger(name = "request", methods = {HttpMethod.DELETE}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("broadcastId") String broadcastId,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            BroadcastReport report = FunctionApp.get().engine().broadcasts().cancel(account, broadcastId);
            HttpStatus status = report.status() == BroadcastStatus.CANCELLING ? HttpStatus.ACCEPTED : HttpStatus.OK;
            return HttpApi.json(request, status, BroadcastJson.write(report, FunctionApp.get().channelForms()));
        });
    }

    /** What subscribers did with the broadcast: {@code {"events":[{"subscriberId","type"}]}}; each counts once. */
    @FunctionName("reportBroadcastEvents")
    public HttpResponseMessage events(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE + "/events") HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("broadcastId") String broadcastId,
            ExecutionContext context) {
        return HttpApi.handleWrite(request, context, account, () -> {
            Ids.require("account", account);
            Ids.require("broadcastId", broadcastId);
            List<Broadcasts.Reported> events = BroadcastJson.parseEvents(HttpApi.requiredBody(request));
            List<Boolean> recorded = FunctionApp.get().engine().broadcasts().engageAll(account, broadcastId, events);
            ObjectNode body = Json.object();
            ArrayNode results = body.putArray("results");
            for (int i = 0; i < events.size(); i++) {
                results.addObject().put("subscriberId", events.get(i).subscriberId()).put("recorded", recorded.get(i));
            }
            long known = recorded.stream().filter(r -> r).count();
            body.put("recorded", known);
            body.put("notInAudience", events.size() - known);
            return HttpApi.json(request, HttpStatus.OK, body);
        });
    }

    @FunctionName("getBroadcastReport")
    public HttpResponseMessage report(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE + "/report") HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("broadcastId") String broadcastId,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            String format = HttpApi.query(request, "format").orElse("json");
            if (!format.equals("json") && !format.equals("csv")) {
                throw new Invalid("format", "must be json or csv");
            }
            ObjectNode report = BroadcastJson.writeReport(FunctionApp.get().engine().broadcasts().get(account, broadcastId));
            if (format.equals("csv")) {
                return HttpApi.text(request, ReportCsv.MEDIA_TYPE, ReportCsv.write(report),
                        "Content-Disposition", "attachment; filename=\"" + broadcastId + "-report.csv\"");
            }
            return HttpApi.json(request, HttpStatus.OK, report);
        });
    }

    @FunctionName("getBroadcastReportPage")
    public HttpResponseMessage page(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE + "/report.html") HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("broadcastId") String broadcastId,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            BroadcastReport report = FunctionApp.get().engine().broadcasts().get(account, broadcastId);
            return HttpApi.text(request, BroadcastReportPage.MEDIA_TYPE, BroadcastReportPage.html(report),
                    "Content-Security-Policy", BroadcastReportPage.CONTENT_SECURITY_POLICY, "Cache-Control", "no-store");
        });
    }
}
