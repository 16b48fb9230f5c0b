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
import io.sequencer.adapters.json.Json;
import io.sequencer.adapters.json.SubscriberJson;
import io.sequencer.domain.Ids;
import io.sequencer.domain.enrollment.Enrollment;
import io.sequencer.domain.enrollment.EnrollmentKey;
import io.sequencer.engine.enrollment.EnrollResult;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/** HTTP functions that enroll subscribers (one or a batch), show their progress, and take them out of a sequence. */
public final class EnrollmentFunctions {
    private static final String ROUTE = "accounts/{account}/sequences/{sequenceId}/subscribers/{subscriberId}";

    @FunctionName("enroll")
    public HttpResponseMessage enroll(
            @HttpTrigger(name = "request", methods = {HttpMethod.PUT}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            @BindingName("subscriberId") String subscriberId,
            ExecutionContext context) {
        return HttpApi.handleWrite(request, context, account, () -> {
            EnrollmentKey key = key(account, sequenceId, subscriberId);
            EnrollmentJson.EnrollBody body = EnrollmentJson.parseEnrollRequest(HttpApi.body(request));
            EnrollResult result = FunctionApp.get().enrollments()
                    .enroll(body.request(key));
            return HttpApi.json(request, result.created() ? HttpStatus.CREATED : HttpStatus.OK,
                    EnrollmentJson.write(result.enrollment()));
        });
    }

    @FunctionName("enrollBatch")
    public HttpResponseMessage enrollBatch(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "accounts/{account}/sequences/{sequenceId}/subscribers:batch")
            HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            ExecutionContext context) {
        return HttpApi.handleWrite(request, context, account, () -> {
            Ids.require("account", account);
            Ids.require("sequenceId", sequenceId);
            FunctionApp.get().sequences().get(account, sequenceId);
            List<SubscriberJson.BatchEntry> entries = SubscriberJson.parseBatch(HttpApi.requiredBody(request));
            ObjectNode[] results = new ObjectNode[entries.size()];
            BatchResults.forEachInParallel(IntStream.range(0, entries.size()).boxed().toList(), i -> {
                SubscriberJson.BatchEntry entry = entries.get(i);
                results[i] = entry.problem().isPresent() ? BatchResults.rejected(i, entry.problem().get())
                        : enrollOne(i, new EnrollmentKey(account, sequenceId, entry.subscriberId()),
                                entry.body().orElseThrow(), context);
            });
            return HttpApi.json(request, HttpStatus.OK, BatchResults.summary(results));
        });
    }

    private static ObjectNode enrollOne(int index, EnrollmentKey key, EnrollmentJson.EnrollBody body,
                                        ExecutionContext context) {
        try {
            EnrollResult result = FunctionApp.get().enrollments()
                    .enroll(body.request(key));
            ObjectNode out = Json.object();
            out.put("index", index);
            out.put("subscriberId", key.subscriberId());
            out.put("status", result.created() ? "enrolled" : "unchanged");
            out.set("enrollment", EnrollmentJson.write(result.enrollment()));
            return out;
        } catch (RuntimeException e) {
            return BatchResults.failed(index, e, context).put("subscriberId", key.subscriberId());
        }
    }

    @FunctionName("getEnrollment")
    public HttpResponseMessage get(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            @BindingName("subscriberId") String subscriberId,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            FunctionApp app = FunctionApp.get();
            Enrollment enrollment = app.enrollments().get(key(account, sequenceId, subscriberId));
            return HttpApi.json(request, HttpStatus.OK,
                    EnrollmentJson.write(enrollment, app.destinations().deferredSteps().of(enrollment)));
        });
    }

    @FunctionName("leave")
    public HttpResponseMessage leave(
            @HttpTrigger(name = "request", methods = {HttpMethod.DELETE}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            @BindingName("subscriberId") String subscriberId,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> HttpApi.json(request, HttpStatus.OK,
                EnrollmentJson.write(FunctionApp.get().enrollments().leave(key(account, sequenceId, subscriberId)))));
    }

    private static EnrollmentKey key(String account, String sequenceId, String subscriberId) {
        return new EnrollmentKey(Ids.require("account", account), Ids.require("sequenceId", sequenceId),
                Ids.require("subscriberId", subscriberId));
    }
}
