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
import io.sequencer.adapters.json.Json;
import io.sequencer.domain.Ids;
import io.sequencer.engine.poison.PoisonReplay;
import java.util.Optional;

/** The HTTP function that puts a sequence's poisoned ticks back on the timer queue once their cause is fixed. */
public final class PoisonFunctions {

    @FunctionName("replayPoison")
    public HttpResponseMessage replay(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "accounts/{account}/sequences/{sequenceId}/poison:replay")
            HttpRequestMessage<Optional<String>> request,
            @BindingName("account") String account,
            @BindingName("sequenceId") String sequenceId,
            ExecutionContext context) {
        return HttpApi.forAdmin(request, context, () -> {
            Ids.require("account", account);
            Ids.require("sequenceId", sequenceId);
            PoisonReplay.Replayed replayed = FunctionApp.get().engine().poisonReplay().replay(account, sequenceId);
            ObjectNode out = Json.object();
            out.put("replayed", replayed.replayed());
            out.put("more", replayed.more());
            if (replayed.replayed() > 0) {
                context.getLogger().info("poison replayed=" + replayed.replayed() + " account=" + account
                        + " sequence=" + sequenceId + " more=" + replayed.more());
            }
            return HttpApi.json(request, HttpStatus.OK, out);
        });
    }
}
