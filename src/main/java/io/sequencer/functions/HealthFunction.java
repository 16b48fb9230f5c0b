package io.sequencer.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.sequencer.adapters.json.Json;
import java.util.Optional;

/** Liveness for load balancers and deploy checks; touches no storage and needs no key. */
public final class HealthFunction {

    @FunctionName("health")
    public HttpResponseMessage health(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "health") HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return HttpApi.json(request, HttpStatus.OK, Json.object().put("status", "ok"));
    }
}
