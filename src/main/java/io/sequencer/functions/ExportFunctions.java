package io.sequencer.functions;

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
import io.sequencer.adapters.json.EnrollmentJson;
import io.sequencer.adapters.json.ExportLines;
import io.sequencer.adapters.json.ImportFormats;
import io.sequencer.adapters.json.SubscriberJson;
import io.sequencer.domain.Ids;
import io.sequencer.domain.Invalid;
import io.sequencer.engine.enrollment.EnrollmentFilter;
import io.sequencer.engine.enrollment.EnrollmentListing;
import io.sequencer.engine.subscriber.Subscribers;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP functions that export an account's profiles, and its enrollments or a sequence's, as NDJSON or CSV, one bounded page
 * per request: the next page's token comes in the {@value #CONTINUATION} header and a {@code Link: <…>; rel="next"}
 * header, absent on the last page.
 */
public final class ExportFunctions {
    static final String CONTINUATION = "Sequencer-Continuation";
    private static final int DEFAULT_LIMIT = 500;
    private static final List<String> PROFILE_COLUMNS = List.of("subscriberId", "timezone", "optedOut", "optedOutAt",
            "sequences", "attributes", "createdAt", "updatedAt");
    private static final List<String> ENROLLMENT_COLUMNS = List.of("subscriberId", "sequenceId", "status",
            "nextStepId", "nextDueAt", "epoch", "timezone", "leaveReason", "startedBy", "enrolledAt", "updatedAt",
            "stepsSent", "data", "steps");

    @FunctionName("exportSubscribers")
    public HttpResponseMessage subscribers(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "accounts/{account}/subscribers:export") HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            ImportFormats.Format format = format(request);
            int limit = limit(request, Subscribers.MAX_PAGE);
            Subscribers.Page page = FunctionApp.get().engine().subscribers().page(account, limit,
                    HttpApi.query(request, "continuation"));
            List<ObjectNode> items = page.subscribers().stream().map(SubscriberJson::write).toList();
            if (format == ImportFormats.Format.CSV) {
                // As an import's CSV names them: sequence ids separated by ';'.
                items.forEach(item -> item.put("sequences", String.join(";", texts(item))));
            }
            return respond(request, format, items, PROFILE_COLUMNS, page.continuation(), "subscribers");
        });
    }

    @FunctionName("exportEnrollments")
    public HttpResponseMessage enrollments(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "accounts/{account}/sequences/{sequenceId}/subscribers:export")
            HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            Ids.require("account", account);
            Ids.require("sequenceId", sequenceId);
            ImportFormats.Format format = format(request);
            int limit = limit(request, EnrollmentListing.MAX_LIMIT);
            FunctionApp app = FunctionApp.get();
            EnrollmentListing.Page page = app.engine().enrollmentListing().page(account, sequenceId, EnrollmentFilter.ALL,
                    limit, HttpApi.query(request, "continuation"));
            List<ObjectNode> items = page.enrollments().stream()
                    .map(e -> EnrollmentJson.write(e, app.destinations().deferredSteps().of(e))).toList();
            return respond(request, format, items, ENROLLMENT_COLUMNS, page.continuation(), sequenceId + "-enrollments");
        });
    }

    @FunctionName("exportAccountEnrollments")
    public HttpResponseMessage accountEnrollments(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "accounts/{account}/enrollments:export") HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            ImportFormats.Format format = format(request);
            int limit = limit(request, EnrollmentListing.MAX_LIMIT);
            FunctionApp app = FunctionApp.get();
            EnrollmentListing.Page page = app.engine().enrollmentListing().accountPage(account, limit,
                    HttpApi.query(request, "continuation"));
            List<ObjectNode> items = page.enrollments().stream()
                    .map(e -> EnrollmentJson.write(e, app.destinations().deferredSteps().of(e))).toList();
            return respond(request, format, items, ENROLLMENT_COLUMNS, page.continuation(), "enrollments");
        });
    }

    private static List<String> texts(ObjectNode item) {
        List<String> values = new java.util.ArrayList<>();
        item.path("sequences").forEach(node -> values.add(node.asText()));
        return values;
    }

    private static HttpResponseMessage respond(HttpRequestMessage<Optional<String>> request,
                                               ImportFormats.Format format, List<ObjectNode> items,
                                               List<String> columns, Optional<String> continuation, String name) {
        String body = format == ImportFormats.Format.CSV ? ExportLines.csv(columns, items) : ExportLines.ndjson(items);
        HttpResponseMessage.Builder response = request.createResponseBuilder(HttpStatus.OK)
                .header("Content-Type", format.mediaType() + "; charset=utf-8")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Disposition", "attachment; filename=\"" + name + "." + format.wireName() + "\"");
        continuation.ifPresent(token -> {
            response.header(CONTINUATION, token);
            response.header("Link", "<" + next(request, token) + ">; rel=\"next\"");
        });
        return response.body(body).build();
    }

    /** This request's path and query with the continuation replaced by {@code token}. */
    private static String next(HttpRequestMessage<Optional<String>> request, String token) {
        StringBuilder query = new StringBuilder();
        request.getQueryParameters().forEach((name, value) -> {
            if (!name.equals("continuation") && value != null) {
                query.append(query.isEmpty() ? "?" : "&").append(encode(name)).append('=').append(encode(value));
            }
        });
        query.append(query.isEmpty() ? "?" : "&").append("continuation=").append(encode(token));
        return request.getUri().getPath() + query;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static ImportFormats.Format format(HttpRequestMessage<Optional<String>> request) {
        String name = HttpApi.query(request, "format").orElse("ndjson").toLowerCase(Locale.ROOT);
        return ImportFormats.Format.fromWireName(name).orElseThrow(() -> new Invalid("format", "must be csv or ndjson"));
    }

    private static int limit(HttpRequestMessage<Optional<String>> request, int max) {
        Optional<String> text = HttpApi.query(request, "limit");
        if (text.isEmpty()) {
            return Math.min(DEFAULT_LIMIT, max);
        }
        try {
            int limit = Integer.parseInt(text.get().trim());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // Named below.
        }
        throw new Invalid("limit", "must be a whole number from 1 to " + max);
    }
}
