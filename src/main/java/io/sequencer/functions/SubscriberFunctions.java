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
import io.sequencer.adapters.json.SubscriberJson;
import io.sequencer.adapters.json.TimelineJson;
import io.sequencer.domain.Ids;
import io.sequencer.domain.Invalid;
import io.sequencer.engine.subscriber.Subscribers;
import io.sequencer.engine.subscriber.Timeline;
import java.util.Optional;

/**
 * HTTP functions on an account's subscribers: add (starting welcome sequences), read, update, opt out or erase,
 * timeline.
 */
public final class SubscriberFunctions {
    private static final String ROUTE = "accounts/{account}/subscribers/{subscriberId}";

    @FunctionName("addSubscriber")
    public HttpResponseMessage add(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "accounts/{account}/subscribers") HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            ExecutionContext context) {
        return HttpApi.handleWrite(request, context, account, () -> {
            Ids.require("account", account);
            SubscriberJson.Addition addition = SubscriberJson.parseAdd(HttpApi.requiredBody(request));
            SubscriberJson.ProfileChange change = addition.change();
            Subscribers.Added added = FunctionApp.get().engine().subscribers().add(account, change.subscriberId(),
                    change.attributes(), change.timezone(), addition.resubscription());
            ObjectNode body = SubscriberJson.write(added.subscriber());
            ArrayNode welcomed = body.putArray("welcomedInto");
            added.welcomed().forEach(welcomed::add);
            return HttpApi.json(request, added.created() ? HttpStatus.CREATED : HttpStatus.OK, body);
        });
    }

    @FunctionName("getSubscriber")
    public HttpResponseMessage get(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("subscriberId") String subscriberId,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> HttpApi.json(request, HttpStatus.OK,
                SubscriberJson.write(FunctionApp.get().engine().subscribers().get(account, subscriberId))));
    }

    @FunctionName("updateSubscriber")
    public HttpResponseMessage update(
            @HttpTrigger(name = "request", methods = {HttpMethod.PATCH}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("subscriberId") String subscriberId,
            ExecutionContext context) {
        return HttpApi.handleWrite(request, context, account, () -> {
            Ids.require("account", account);
            Ids.require("subscriberId", subscriberId);
            SubscriberJson.ProfileChange change = SubscriberJson.parsePatch(subscriberId, HttpApi.requiredBody(request));
            return HttpApi.json(request, HttpStatus.OK, SubscriberJson.write(FunctionApp.get().engine().subscribers()
                    .update(account, subscriberId, change.attributes(), change.timezone())));
        });
    }

    @FunctionName("optOut")
    public HttpResponseMessage optOut(
            @HttpTrigger(name = "request", methods = {HttpMethod.DELETE}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE) HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("subscriberId") String subscriberId,
            ExecutionContext context) {
        return HttpApi.handleWrite(request, context, account, () -> {
            Ids.require("account", account);
            Ids.require("subscriberId", subscriberId);
            if (erase(HttpApi.query(request, "erase"))) {
                FunctionApp.get().engine().erasure().erase(account, subscriberId);
                return request.createResponseBuilder(HttpStatus.NO_CONTENT).build();
            }
            return HttpApi.json(request, HttpStatus.OK,
                    SubscriberJson.write(FunctionApp.get().engine().subscribers().optOut(account, subscriberId)));
        });
    }

    /** {@code ?erase=true} erases the subscriber; absent or {@code false}, the DELETE opts them out. */
    private static boolean erase(Optional<String> text) {
        if (text.isEmpty() || text.get().equals("false")) {
            return false;
        }
        if (text.get().equals("true")) {
            return true;
        }
        throw new Invalid("erase", "must be true or false");
    }

    @FunctionName("getTimeline")
    public HttpResponseMessage timeline(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = ROUTE + "/timeline") HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("subscriberId") String subscriberId,
            ExecutionContext context) {
        return HttpApi.forAccount(request, context, account, () -> {
            int limit = HttpApi.query(request, "limit").map(SubscriberFunctions::limit).orElse(Timeline.DEFAULT_LIMIT);
            return HttpApi.json(request, HttpStatus.OK, TimelineJson.write(subscriberId, FunctionApp.get().engine().timeline()
                    .page(account, subscriberId, limit, HttpApi.query(request, "continuation"))));
        });
    }

    private static int limit(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new Invalid("limit", "must be a whole number from 1 to " + Timeline.MAX_LIMIT);
        }
    }
}
