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
import io.sequencer.adapters.json.NotificationJson;
import io.sequencer.domain.Ids;
import io.sequencer.engine.notification.Notifications;
import java.util.Optional;

/** HTTP functions that subscribe an account to lifecycle notifications, show their health, and turn them off. */
public final class NotificationFunctions {
    private static final String ROUTE = "accounts/{account}/notifications";

    @FunctionName("putNotifications")
    public HttpResponseMessage put(
            @HttpTrigger(name = "request", methods = {HttpMethod.PUT}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            Ids.require("account", account);
            NotificationJson.Request asked = NotificationJson.parse(HttpApi.requiredBody(request));
            FunctionApp.get().namedSecrets().requireSettingDefined(account, "secretSetting", asked.secretSetting());
            FunctionApp.get().addressGuard().requireAllowed("url", asked.url());
            FunctionApp.get().namedSecrets().requireAccountSecret(account, "secret", asked.secret());
            Notifications.Defined defined = FunctionApp.get().engine().notifications()
                    .define(account, asked.url(), asked.secretSetting(), asked.secret(), asked.events());
            return HttpApi.json(request, defined.created() ? HttpStatus.CREATED : HttpStatus.OK,
                    NotificationJson.write(defined.settings()));
        });
    }

    @FunctionName("getNotifications")
    public HttpResponseMessage get(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> HttpApi.json(request, HttpStatus.OK,
                NotificationJson.write(FunctionApp.get().engine().notifications().get(account))));
    }

    @FunctionName("deleteNotifications")
    public HttpResponseMessage delete(
            @HttpTrigger(name = "request", methods = {HttpMethod.DELETE}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            FunctionApp.get().engine().notifications().delete(account);
            return HttpApi.json(request, HttpStatus.OK, Json.object().put("account", account).put("status", "off"));
        });
    }
}
