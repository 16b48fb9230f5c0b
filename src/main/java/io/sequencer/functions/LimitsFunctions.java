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
import io.sequencer.adapters.json.Json;
import io.sequencer.adapters.json.LimitsJson;
import io.sequencer.channel.ChannelTypes;
import io.sequencer.domain.Ids;
import io.sequencer.domain.limit.FrequencyLimits;
import java.util.Optional;

/** HTTP functions that set, show and remove an account's frequency caps. */
public final class LimitsFunctions {
    private static final String ROUTE = "accounts/{account}/limits";

    @FunctionName("putLimits")
    public HttpResponseMessage put(
            @HttpTrigger(name = "request", methods = {HttpMethod.PUT}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            Ids.require("account", account);
            FrequencyLimits asked = LimitsJson.parse(account, HttpApi.requiredBody(request), ChannelTypes.ALL.names(),
                    FunctionApp.get().engine().clock().instant());
            return HttpApi.json(request, HttpStatus.OK, LimitsJson.write(FunctionApp.get().engine().caps().define(asked)));
        });
    }

    @FunctionName("getLimits")
    public HttpResponseMessage get(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> HttpApi.json(request, HttpStatus.OK,
                LimitsJson.write(FunctionApp.get().engine().caps().get(account))));
    }

    @FunctionName("deleteLimits")
    public HttpResponseMessage delete(
            @HttpTrigger(name = "request", methods = {HttpMethod.DELETE}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            FunctionApp.get().engine().caps().delete(account);
            return HttpApi.json(request, HttpStatus.OK, Json.object().put("account", account).put("limits", "none"));
        });
    }
}
