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
import io.sequencer.adapters.json.EnrollmentJson;
import io.sequencer.domain.EnrollmentKey;
import io.sequencer.domain.Ids;
import io.sequencer.engine.EnrollResult;
import java.time.ZoneId;
import java.util.Optional;

/** HTTP functions that enroll a subscriber, show their progress, and take them out of a sequence. */
public final class EnrollmentFunctions {
    private static final String ROUTE = "accounts/{account}/sequences/{sequenceId}/subscribers/{subscriberId}";

    @FunctionName("enroll")
    public HttpResponseMessage enroll(
            @HttpTrigger(name = "request", methods = {HttpMethod.PUT}, authLevel = AuthorizationLevel.FUNCTION,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            @BindingName("subscriberId") String subscriberId,
            ExecutionContext context) {
        return HttpApi.handle(request, context, () -> {
            EnrollmentKey key = key(account, sequenceId, subscriberId);
            Optional<ZoneId> timezone = EnrollmentJson.parseEnrollRequest(HttpApi.body(request));
            EnrollResult result = FunctionApp.get().enrollments().enroll(key, timezone);
            return HttpApi.json(request, result.created() ? HttpStatus.CREATED : HttpStatus.OK,
                    EnrollmentJson.write(result.enrollment()));
        });
    }

    @FunctionName("getEnrollment")
    public HttpResponseMessage get(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.FUNCTION,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            @BindingName("subscriberId") String subscriberId,
            ExecutionContext context) {
        return HttpApi.handle(request, context, () -> HttpApi.json(request, HttpStatus.OK,
                EnrollmentJson.write(FunctionApp.get().enrollments().get(key(account, sequenceId, subscriberId)))));
    }

    @FunctionName("leave")
    public HttpResponseMessage leave(
            @HttpTrigger(name = "request", methods = {HttpMethod.DELETE}, authLevel = AuthorizationLevel.FUNCTION,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            @BindingName("subscriberId") String subscriberId,
            ExecutionContext context) {
        return HttpApi.handle(request, context, () -> HttpApi.json(request, HttpStatus.OK,
                EnrollmentJson.write(FunctionApp.get().enrollments().leave(key(account, sequenceId, subscriberId)))));
    }

    private static EnrollmentKey key(String account, String sequenceId, String subscriberId) {
        return new EnrollmentKey(Ids.require("account", account), Ids.require("sequenceId", sequenceId),
                Ids.require("subscriberId", subscriberId));
    }
}
