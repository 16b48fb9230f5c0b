package io.sequencer.functions;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.sequencer.domain.EnrollmentKey;
import io.sequencer.domain.Ids;
import io.sequencer.domain.Invalid;
import io.sequencer.engine.EnrollResult;
import java.util.Iterator;
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
            HttpApi.body(request).ifPresent(EnrollmentFunctions::checkEnrollBody);
            EnrollResult result = FunctionApp.get().enrollments().enroll(key);
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

    /** The enroll body is optional; when sent it must be a JSON object, and this version defines no fields in it. */
    private static void checkEnrollBody(String body) {
        JsonNode node = Json.parseBody(body);
        if (!node.isObject()) {
            throw new Invalid("body", "must be a JSON object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            throw new Invalid(names.next(), "is not a known field");
        }
    }
}
