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
import io.sequencer.adapters.json.AccountKeyJson;
import io.sequencer.adapters.json.Json;
import io.sequencer.engine.account.AccountKeys;
import java.util.Optional;

/**
 * Account API keys, for a host that lets its own customers call Sequencer: the admin issues a key for one account,
 * lists them by prefix and revokes them. Admin only: an account key cannot mint, see or revoke keys.
 */
public final class AccountKeyFunctions {
    private static final String ROUTE = "accounts/{account}/keys";

    /**
     * A new key, shown in this answer only. Not an idempotent write: keeping the answer for replays would store the
     * key itself, and a lost answer costs nothing but a key to revoke.
     */
    @FunctionName("createAccountKey")
    public HttpResponseMessage create(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            ExecutionContext context) {
        return HttpApi.forAdmin(request, context, () -> {
            AccountKeyJson.parseCreate(HttpApi.body(request));
            AccountKeys.Issued issued = FunctionApp.get().engine().accountKeys().issue(account);
            return request.createResponseBuilder(HttpStatus.CREATED)
                    .header("Content-Type", "application/json")
                    .header("Cache-Control", "no-store")
                    .body(Json.write(AccountKeyJson.writeIssued(issued.key(), issued.stored())))
                    .build();
        });
    }

    @FunctionName("listAccountKeys")
    public HttpResponseMessage list(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            ExecutionContext context) {
        return HttpApi.forAdmin(request, context, () -> HttpApi.json(request, HttpStatus.OK,
                AccountKeyJson.writeList(account, FunctionApp.get().engine().accountKeys().list(account))));
    }

    /** Revokes at once: the next request with the key is refused. */
    @FunctionName("revokeAccountKey")
    public HttpResponseMessage revoke(
            @HttpTrigger(name = "request", methods = {HttpMethod.DELETE}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE + "/{prefix}") HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("prefix") String prefix,
            ExecutionContext context) {
        return HttpApi.forAdmin(request, context, () -> {
            FunctionApp.get().engine().accountKeys().revoke(account, prefix);
            ObjectNode body = Json.object().put("account", account).put("prefix", prefix).put("status", "revoked");
            return HttpApi.json(request, HttpStatus.OK, body);
        });
    }
}
