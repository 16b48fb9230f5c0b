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
import io.sequencer.adapters.json.SecretJson;
import io.sequencer.domain.Ids;
import io.sequencer.engine.secret.AccountSecrets;
import java.util.Optional;

/**
 * HTTP functions for an account's secrets: set one (its value never comes back), list them by name and
 * fingerprint, delete one that nothing uses.
 */
public final class SecretFunctions {
    private static final String ROUTE = "accounts/{account}/secrets";

    @FunctionName("putSecret")
    public HttpResponseMessage put(
            @HttpTrigger(name = "request", methods = {HttpMethod.PUT}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE + "/{name}") HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("name") String name,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            Ids.require("account", account);
            Ids.require("name", name);
            SecretJson.Request asked = SecretJson.parse(HttpApi.requiredBody(request));
            AccountSecrets.Saved saved = FunctionApp.get().engine().secrets().put(account, name, asked.value(),
                    asked.keepPrevious());
            return HttpApi.json(request, saved.created() ? HttpStatus.CREATED : HttpStatus.OK,
                    SecretJson.write(account, saved.info()));
        });
    }

    @FunctionName("listSecrets")
    public HttpResponseMessage list(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            Ids.require("account", account);
            return HttpApi.json(request, HttpStatus.OK,
                    SecretJson.writeList(account, FunctionApp.get().engine().secrets().list(account)));
        });
    }

    @FunctionName("deleteSecret")
    public HttpResponseMessage delete(
            @HttpTrigger(name = "request", methods = {HttpMethod.DELETE}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE + "/{name}") HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("name") String name,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            Ids.require("account", account);
            Ids.require("name", name);
            FunctionApp.get().engine().secrets().delete(account, name);
            return request.createResponseBuilder(HttpStatus.NO_CONTENT).build();
        });
    }
}
